-- PATCH one key a customer has (native API).

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

local SEEDED_KEYS = 30

function bench.build(seq, args)
  local n = seq % tonumber(args.customers)
  local index = seq % SEEDED_KEYS
  local body = {email = bench.email(n), value = bench.value(index, seq)}
  return "PATCH", "/api/customers/properties/" .. bench.seeded_key(index),
    bench.native_headers(true), body
end
