-- GET /healthz: the service's floor (no database, no key), the base of every ratio.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

function bench.build(seq, args)
  return "GET", "/healthz", {}, nil
end
