#!/usr/bin/env bash
# Two builds of the same service side by side, differing only in their environment (each side: one or more
# space-separated VAR=value assignments):
#   ./scripts/bench/ab-env.sh [QUERY] [ROUNDS] [ENV_A] [ENV_B]
#   ./scripts/bench/ab-env.sh '?model=baseline-relu' 4 X=1 DOTNET_GCgen0size=0x3000000
# Both servers start at once (A on 5498, B on 5499) and are warmed 15 s each; then wrk -t2 -c32 runs 8 s against A,
# then B, ROUNDS times. Each line: req/s and gen0 collections of A and B, and B's rate over A's. Alternating rounds
# on servers that are both up and warm keep the machine's drift and the JIT out of the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
query=${1:-'?model=baseline-relu'}; rounds=${2:-4}; env_a=${3:-X=1}; env_b=${4:-DOTNET_GCgen0size=0x3000000}
image=$PWD/scripts/digit-7.png
lua=$(realpath ../shared/bench/multipart.lua)
dotnet build Api -c Release -v q -nologo >/dev/null
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for side in "5498 $env_a" "5499 $env_b"; do
  read -r port assignment <<<"$side"
  # shellcheck disable=SC2086 # several assignments, split on spaces
  (cd Api && exec env $assignment dotnet bin/Release/net10.0/Api.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1) &
  pids+=($!)
done
for port in 5498 5499; do
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
done
rate() { IMAGE=$image wrk -t2 -c32 -d"$2"s -s "$lua" "http://127.0.0.1:$1/v1/classify$query" 2>&1 | sed -n 's/^RESULT rps=\([0-9]*\).*/\1/p'; }
gen0() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^dotnet_gc_collections_total.*gen0/ {print $2}'; }
measure() { local before after rps; before=$(gen0 "$1"); rps=$(rate "$1" 8); after=$(gen0 "$1"); echo "$rps $((after - before))"; }
rate 5498 15 >/dev/null; rate 5499 15 >/dev/null
echo "A: $env_a   B: $env_b   ($query)"
for round in $(seq 1 "$rounds"); do
  read -r rps_a gc_a <<<"$(measure 5498)"
  read -r rps_b gc_b <<<"$(measure 5499)"
  echo "round $round  A $rps_a req/s, $gc_a gen0  B $rps_b req/s, $gc_b gen0  B/A $(python3 -c "print(f'{$rps_b / $rps_a:.3f}')")"
done
