-- Retently POST /customers with ten existing subscribers, two labelled properties each.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

local SUBSCRIBERS = 10

function bench.build(seq, args)
  local customers = tonumber(args.customers)
  local subscribers = {}
  for j = 0, SUBSCRIBERS - 1 do
    subscribers[#subscribers + 1] = {
      email = bench.email((seq * SUBSCRIBERS + j) % customers),
      first_name = "Bench",
      properties = {
        {label = "Attr 03", value = bench.value(3, seq)},
        {label = "Attr 04", value = bench.value(4, seq)},
      },
    }
  end
  local headers = {["Authorization"] = "api_key=" .. args.key, ["Content-Type"] = "application/json"}
  return "POST", "/compat/retently/api/v2/customers", headers, {subscribers = subscribers}
end
