-- HelpCrunch PATCH /customers/{customer_id}: the name and one custom data key.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

function bench.build(seq, args)
  local n = seq % tonumber(args.customers)
  local body = {name = "Bench " .. seq, customData = {[bench.seeded_key(5)] = bench.value(5, seq)}}
  local headers = {["Authorization"] = "Bearer " .. args.key, ["Content-Type"] = "application/json"}
  return "PATCH", "/compat/helpcrunch/v1/customers/" .. (tonumber(args.first_id) + n), headers, body
end
