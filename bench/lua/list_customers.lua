-- GET /api/customers filtered by one property (plan_tier, a quarter of the customers each).

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

local PLANS = {"free", "starter", "pro", "enterprise"}

function bench.build(seq, args)
  return "GET", "/api/customers?plan_tier=" .. PLANS[seq % #PLANS + 1], bench.native_headers(false), nil
end
