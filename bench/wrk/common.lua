-- Shared by the bench scripts: the three auth headers, per-thread seeds, an optional strict
-- 2xx check (TP_CHECK=1, used during warm-up) and one machine-readable summary line.
local M = {}
local threads = {}

function M.env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error("environment variable " .. name .. " is not set")
  end
  return value
end

function M.headers(json)
  local headers = {
    ["Authorization"] = "Bearer " .. M.env("TP_TOKEN"),
    ["X-API-Key"] = M.env("TP_API_KEY"),
    ["X-Org-Id"] = M.env("TP_ORG_ID"),
  }
  if json then
    headers["Content-Type"] = "application/json"
  end
  return headers
end

function M.setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end

function M.init()
  -- "seed" is set on this thread's state by setup(), in the main state.
  math.randomseed(os.time() * 1000 + (seed or 0))
  non2xx = 0
  first_bad = ""
end

function M.checking()
  return os.getenv("TP_CHECK") == "1"
end

function M.response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

function M.done(summary, latency, requests)
  local checked, bad = 0, ""
  for _, thread in ipairs(threads) do
    checked = checked + (thread:get("non2xx") or 0)
    local sample = thread:get("first_bad")
    if bad == "" and sample ~= nil then
      bad = sample
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"mean_us":%.1f,"p50_us":%d,"p90_us":%d,'
      .. '"p99_us":%d,"max_us":%d,"status_errors":%d,"connect_errors":%d,"read_errors":%d,'
      .. '"write_errors":%d,"timeouts":%d,"checked_non2xx":%d}\n',
    summary.requests, summary.duration, latency.mean, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, errors.status, errors.connect,
    errors.read, errors.write, errors.timeout, checked))
  if bad ~= "" then
    io.write("BENCH_BAD " .. bad:gsub("\n", " ") .. "\n")
  end
end

return M
