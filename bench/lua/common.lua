-- Shared by every scenario script (wrk -s <scenario>.lua URL -- name=value ...).
--
-- A scenario script sets bench.build(seq, args), returning method, path, headers and a
-- body table (or nil); bench/scenarios.py builds the same request for the same seq.
-- This module defines wrk's hooks: it numbers the requests from args.offset, counts
-- every response that is not 2xx (wrk itself counts only 4xx and 5xx), keeps the first
-- one's status and body, and ends with one BENCH_RESULT line that bench/wrk.py reads.
-- With args.dump=PATH it writes the first request to PATH and exits before sending it.

local bench = {args = {}}

function bench.email(n) return "c" .. n .. "@bench.example.com" end
function bench.user_id(n) return "u" .. n end
function bench.seeded_key(i) return string.format("attr_%02d", i) end
function bench.extra_key(i) return string.format("extra_%03d", i) end
-- Integers on even keys, text on odd ones, as in bench/scenarios.py.
function bench.value(index, seq)
  if index % 2 == 0 then return seq end
  return "v" .. seq
end

function bench.native_headers(json_body)
  local headers = {["X-API-Key"] = bench.args.key}
  if json_body then headers["Content-Type"] = "application/json" end
  return headers
end

-- Enough JSON for the bodies built here: numbers, ASCII strings, arrays (tables with a
-- first element) and objects.
local function encode(value)
  local kind = type(value)
  if kind == "number" then
    if value == math.floor(value) then return string.format("%d", value) end
    return string.format("%.17g", value)
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif kind == "boolean" then
    return tostring(value)
  end
  local parts = {}
  if value[1] ~= nil then
    for _, item in ipairs(value) do parts[#parts + 1] = encode(item) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  for name, item in pairs(value) do parts[#parts + 1] = encode(name) .. ":" .. encode(item) end
  return "{" .. table.concat(parts, ",") .. "}"
end
bench.encode = encode

-- wrk's hooks. setup() and done() run in the main Lua state, the others in the thread's;
-- the counters are globals so that done() can read them with thread:get().
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  for _, arg in ipairs(args) do
    local name, given = arg:match("^([%w_]+)=(.*)$")
    if name then bench.args[name] = given end
  end
  bench_seq = tonumber(bench.args.offset or "0")
  bench_generated = 0
  bench_non_2xx = 0
  bench_first_error = nil
end

function request()
  local method, path, headers, body = bench.build(bench_seq, bench.args)
  local raw = wrk.format(method, path, headers, body and encode(body) or nil)
  bench_seq = bench_seq + 1
  bench_generated = bench_generated + 1
  if bench.args.dump then
    local file = assert(io.open(bench.args.dump, "wb"))
    file:write(raw)
    file:close()
    os.exit(0)
  end
  return raw
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bench_non_2xx = bench_non_2xx + 1
    if not bench_first_error then
      bench_first_error = status .. " " .. (body or ""):sub(1, 400):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local generated, non_2xx, first_error = 0, 0, nil
  for _, thread in ipairs(threads) do
    generated = generated + thread:get("bench_generated")
    non_2xx = non_2xx + thread:get("bench_non_2xx")
    first_error = first_error or thread:get("bench_first_error")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "non_2xx": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "generated": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, non_2xx, errors.connect, errors.read,
    errors.write, errors.timeout, generated))
  if first_error then io.write("BENCH_FIRST_ERROR " .. first_error .. "\n") end
end

return bench
