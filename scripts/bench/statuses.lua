-- wrk script: POST one image as the multipart field "image" (as ../shared/bench/multipart.lua does) and count
-- the answers by status, and how many 503s carried Retry-After.
-- Usage: IMAGE=path wrk -s statuses.lua URL
local f = assert(io.open(os.getenv("IMAGE"), "rb"))
local data = f:read("*all"); f:close()
local boundary = "----wrkboundary7d4a"
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"digit\"\r\nContent-Type: image/png\r\n\r\n" .. data .. "\r\n--" .. boundary .. "--\r\n"

local threads = {}
setup = function(thread)
  thread:set("counts", {})
  table.insert(threads, thread)
end
response = function(status, headers, body)
  local key = tostring(status)
  if status == 503 and headers["Retry-After"] then key = "503+retry-after" end
  counts[key] = (counts[key] or 0) + 1
end
done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do totals[status] = (totals[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(totals) do table.insert(parts, status .. "=" .. n) end
  table.sort(parts)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f socket_errors=%d statuses=%s\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, table.concat(parts, ",")))
end
