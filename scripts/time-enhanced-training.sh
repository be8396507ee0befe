#!/usr/bin/env bash
# Times one full training of the enhanced network on the MNIST split (54,000 training + 6,000 validation
# digits; the defaults: up to 30 epochs, early stopping) and writes the result to
# docs/benchmarks/enhanced-training.md. Run it on an otherwise idle machine:
#   ./scripts/time-enhanced-training.sh [activation]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
activation=${1:-relu_softsign}
output=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$output" "$log"' EXIT

./scripts/fetch-mnist.sh >/dev/null
dotnet build Trainer -c Release >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s.%N)
dotnet run --project Trainer -c Release --no-build -- train --architecture enhanced --activation "$activation" --output "$output" | tee "$log"
finished=$(date +%s.%N)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
wall=$(awk "BEGIN { print $finished - $started }")

cat > docs/benchmarks/enhanced-training.md <<REPORT
# A full training of the enhanced network

Produced by \`./scripts/time-enhanced-training.sh $activation\` on $(date -u '+%Y-%m-%d %H:%M UTC').

- Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(dotnet --version | sed 's/^/.NET SDK /')
- Load average (1/5/15 min) before: $load_before, after: $load_after
- Command: \`dotnet run --project Trainer -c Release --no-build -- train --architecture enhanced --activation $activation\`
- Wall-clock time of the whole command (loading and normalising the data, training, the unit census after every
  epoch, the ONNX export and the ONNX Runtime check): **$(printf '%.0f' "$wall") s** (the issue's limit: 300 s)

\`\`\`
$(cut -c1-400 "$log")
\`\`\`
REPORT
echo "wrote docs/benchmarks/enhanced-training.md ($(printf '%.0f' "$wall") s)"
