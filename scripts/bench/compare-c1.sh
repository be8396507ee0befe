#!/usr/bin/env bash
# One connection at a time, the project against the ML.NET peer, alternating (wrk needs a thread per connection,
# so ../shared/bench/compare.sh, which runs wrk -t2, cannot take c=1):
#   ./scripts/bench/compare-c1.sh MODEL.onnx IMAGE [SECONDS] [ROUNDS]
# Run ../shared/bench/compare.sh once first: it builds the peer in ${TMPDIR:-/tmp}/bench-peers.
set -euo pipefail
cd "$(dirname "$0")/../.."
model=$(realpath "$1"); image=$(realpath "$2"); secs=${3:-10}; rounds=${4:-3}
peers=${BENCH_WORK:-${TMPDIR:-/tmp}/bench-peers}
lua=$(realpath ../shared/bench/multipart.lua)
pids=()
trap 'for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || true; done' EXIT
dotnet build Service.sln -c Release -v q -nologo >/dev/null
setsid dotnet run --no-build -c Release --project Api --urls http://127.0.0.1:5411 >/tmp/c1-project.log 2>&1 & pids+=($!)
setsid dotnet run --no-build -c Release --project "$peers/peer-mlnet" -- "$model" --urls http://127.0.0.1:5412 >/tmp/c1-mlnet.log 2>&1 & pids+=($!)
for port in 5411 5412; do for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done; done
run() { IMAGE=$image wrk -t1 -c1 -d"$2"s --timeout 5s -s "$lua" "http://127.0.0.1:$1/v1/classify" 2>&1 | grep RESULT; }
run 5411 3 >/dev/null; run 5412 3 >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "project round$r $(run 5411 "$secs")"
  echo "mlnet round$r $(run 5412 "$secs")"
done
