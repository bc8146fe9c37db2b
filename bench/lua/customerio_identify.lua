-- Customer.io identify: PUT /customers/{user_id} with an email and three attributes.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

local IDENTIFY_ATTRIBUTES = 3

function bench.build(seq, args)
  local n = seq % tonumber(args.customers)
  local body = {email = bench.email(n)}
  for index = 0, IDENTIFY_ATTRIBUTES - 1 do
    body[bench.seeded_key(index)] = bench.value(index, seq)
  end
  local headers = {["Authorization"] = "Basic " .. args.basic, ["Content-Type"] = "application/json"}
  return "PUT", "/compat/customerio/api/v1/customers/" .. bench.user_id(n), headers, body
end
