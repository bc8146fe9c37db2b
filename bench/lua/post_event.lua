-- POST /api/events for an existing customer, by external_id.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

function bench.build(seq, args)
  local n = seq % tonumber(args.customers)
  local body = {
    name = "order_shipped",
    customer = {external_id = bench.user_id(n)},
    properties = {order_id = "A-" .. seq, total = 99.5},
  }
  return "POST", "/api/events", bench.native_headers(true), body
end
