-- GET a customer's properties (native API), round-robin over the seeded customers.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

function bench.build(seq, args)
  local n = seq % tonumber(args.customers)
  return "GET", "/api/customers/properties?email=" .. bench.email(n), bench.native_headers(false), nil
end
