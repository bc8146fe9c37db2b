-- PUT args.keys keys on an existing customer of quarter args.slice (native API): half of
-- them keys it has (updates), half keys it lacks (inserts); one key alternates. A
-- customer's new keys on its v-th visit follow those of its earlier visits.

-- Load common.lua from beside this script, wherever wrk is started.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local bench = require("common")

local SEEDED_KEYS, EXTRA_KEYS, WRITE_SLICES = 30, 600, 4

function bench.build(seq, args)
  local keys, slice = tonumber(args.keys), tonumber(args.slice)
  local size = math.floor(tonumber(args.customers) / WRITE_SLICES)
  local n = slice * size + seq % size
  local visit = math.floor(seq / size)
  local existing, fresh = math.floor(keys / 2), keys - math.floor(keys / 2)
  if keys == 1 then existing, fresh = 1 - seq % 2, 1 end
  local properties = {}
  for j = 0, existing - 1 do
    local index = (seq + j) % SEEDED_KEYS
    properties[bench.seeded_key(index)] = bench.value(index, seq)
  end
  for j = 0, keys - existing - 1 do
    local index = (visit * fresh + j) % EXTRA_KEYS
    properties[bench.extra_key(index)] = bench.value(index, seq)
  end
  local body = {email = bench.email(n), properties = properties}
  return "PUT", "/api/customers/properties", bench.native_headers(true), body
end
