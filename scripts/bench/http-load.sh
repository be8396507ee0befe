#!/usr/bin/env bash
# The service under load on this machine, beyond what ../shared/bench/compare.sh measures side by side:
#   ./scripts/bench/http-load.sh [SOAK_SECONDS]
# 1. POST /v1/classify/compare (6 enhanced models per request) at c=32;
# 2. c=32, then overload at c=512: answers by status, Retry-After on the 503s, socket errors, and the p99 of the
#    accepted (200) requests from the service's own http.server.request.duration histogram;
# 3. a soak at c=32 (default 300 s) sampling the process's RSS every 10 s.
# Prints RESULT lines; run from the repository root after `dotnet build Service.sln -c Release`.
set -euo pipefail
cd "$(dirname "$0")/../.."
soak=${1:-300}
port=5601
url="http://127.0.0.1:$port"
image=scripts/digit-7.png
script=scripts/bench/statuses.lua

setsid dotnet run --no-build -c Release --project Api -- --urls "$url" >/tmp/http-load-server.log 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "$url/health/ready" >/dev/null && break; sleep 0.5; done
pid=$(pgrep -f -- "--urls $url" | while read -r p; do [[ $(cat /proc/$p/comm) == Api ]] && echo "$p"; done | head -n1)

load() { IMAGE=$image wrk -t2 -c"$1" -d"$2"s --timeout 5s -s "$script" "$url$3" 2>&1 | grep RESULT; }

# Accepted requests' p99 (server side) between two scrapes: histogram_quantile over the bucket deltas.
scrape() { curl -s "$url/metrics" | grep -E '^http_server_request_duration_seconds_bucket\{.*http_response_status_code="200".*http_route="/v1/classify/?"' ; }
p99_between() {
  python3 - "$1" "$2" <<'PY'
import re, sys
def read(path):
    buckets = {}
    for line in open(path):
        le = re.search(r'le="([^"]+)"', line).group(1)
        buckets[float('inf') if le == '+Inf' else float(le)] = buckets.get(float('inf') if le == '+Inf' else float(le), 0) + float(line.rsplit(' ', 1)[1])
    return buckets
a, b = read(sys.argv[1]), read(sys.argv[2])
bounds = sorted(b)
counts = [b[x] - a.get(x, 0) for x in bounds]
total = counts[-1]
target = 0.99 * total
prev_bound, prev_count = 0.0, 0.0
for bound, count in zip(bounds, counts):
    if count >= target:
        if bound == float('inf'):
            print(f"accepted={total:.0f} p99_ms>{prev_bound*1000:.1f}"); break
        frac = (target - prev_count) / max(count - prev_count, 1e-9)
        print(f"accepted={total:.0f} p99_ms={(prev_bound + frac * (bound - prev_bound)) * 1000:.1f} (server side, bucket-interpolated)"); break
    prev_bound, prev_count = bound, count
PY
}

load 32 10 "/v1/classify/compare" >/dev/null   # warm-up: long enough for the JIT to reach its optimised code
echo "compare c=32: $(load 32 10 /v1/classify/compare)"

load 32 10 "/v1/classify" >/dev/null
before=$(mktemp); after=$(mktemp)
scrape >"$before"; echo "classify c=32: $(load 32 10 /v1/classify)"; scrape >"$after"
echo "classify c=32 accepted: $(p99_between "$before" "$after")"
scrape >"$before"; echo "classify c=512: $(load 512 10 /v1/classify)"; scrape >"$after"
echo "classify c=512 accepted: $(p99_between "$before" "$after")"

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
echo "soak c=32 for ${soak}s: RSS kB every 10 s:"
IMAGE=$image wrk -t2 -c32 -d"${soak}"s --timeout 5s -s "$script" "$url/v1/classify" >/tmp/http-load-soak.txt 2>&1 &
wrkpid=$!
samples=()
for _ in $(seq 1 $((soak / 10))); do sleep 10; samples+=("$(rss)"); done
wait $wrkpid || true
echo "rss_kb=${samples[*]}"
echo "soak: $(grep RESULT /tmp/http-load-soak.txt)"
python3 - "${samples[@]}" <<'PY'
import sys
s = [int(x) for x in sys.argv[1:]]
after_minute = s[5] if len(s) > 5 else s[0]
print(f"RESULT rss_after_1min_kb={after_minute} rss_end_kb={s[-1]} growth_after_1min={100 * (s[-1] - after_minute) / after_minute:.1f}%")
PY
