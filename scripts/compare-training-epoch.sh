#!/usr/bin/env bash
# The effect of a change on training speed: trains the baseline network for 5 epochs with the Trainer of
# REV (default: the commit before the activation-kernel work) and with the working tree's, alternating,
# five rounds per activation, and prints the median seconds per epoch (the model card's trainingSeconds / 5).
#   scripts/compare-training-epoch.sh [REV] [ACTIVATION...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rev=${1:-6fa76c6}
shift || true
activations=("${@:-relu relu_softsign elu noisy_relu}")
read -r -a activations <<<"${activations[*]}"

work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" "$rev" >/dev/null
dotnet build "$work/src/Trainer" -c Release -o "$work/before" >/dev/null
dotnet build Trainer -c Release -o "$work/after" >/dev/null
./scripts/fetch-mnist.sh >/dev/null

for activation in "${activations[@]}"; do
  for round in 1 2 3 4 5; do
    for side in before after; do
      dotnet "$work/$side/Trainer.dll" train --architecture baseline --activation "$activation" --epochs 5 --output "$work/models-$side" >/dev/null
      seconds=$(grep -oE '"trainingSeconds": [0-9.]+' "$work/models-$side/baseline-$activation.json" | grep -oE '[0-9.]+$')
      echo "$activation $side $seconds"
    done
  done
done | awk '
  { runs[$1 " " $2] = runs[$1 " " $2] " " $3; order[$1] = 1 }
  function median(list,   n, values, i, j, t) {
    n = split(list, values, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (values[j] < values[i]) { t = values[i]; values[i] = values[j]; values[j] = t }
    return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
  }
  END {
    printf "| activation | before (s/epoch) | after (s/epoch) | speed-up |\n|---|---:|---:|---:|\n"
    for (a in order) {
      b = median(runs[a " before"]) / 5; f = median(runs[a " after"]) / 5
      printf "| %s | %.3f | %.3f | %.2f× |\n", a, b, f, b / f
    }
  }'
