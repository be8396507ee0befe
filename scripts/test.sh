#!/usr/bin/env bash
# Everything the tests need, then the tests: on a fresh machine with the .NET SDK, Node/npm and apt,
#   ./scripts/test.sh
# installs Chromium (browser tests), docker-compose (compose file check), Prometheus (a real scrape) and kubectl
# (kustomize, for the Kubernetes manifests) if missing, fetches MNIST into data/mnist, runs the xUnit suite with both tiers
# (plain `dotnet test` runs only the fast one, see .runsettings), the activation study's smoke run, the
# container smoke test (with the publish size and platform check) and the offline manifest validation.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
[[ -x /usr/bin/prometheus ]] || missing+=(prometheus)
command -v kubectl >/dev/null || missing+=(kubernetes-client)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} with apt…"
  sudo=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

./scripts/fetch-mnist.sh
log=$(mktemp)
study=$(mktemp -d)
trap 'rm -rf "$log" "$study"' EXIT
# -p:TestTier=All: the slow tier too (held-out sweeps, browsers, training runs, child processes).
dotnet test Service.sln -c Release -p:TestTier=All 2>&1 | tee "$log"

# The study's own command on a few hundred digits, three activations, one or two epochs, so that it cannot rot:
# it must train every kind of cell and draw its report.
dotnet run --project Trainer -c Release -- study --smoke --output "$study"
for file in README.md summary-mnist.png curves-mnist-enhanced.png curves-high-lr-mnist-enhanced.png learning-rate-mnist-baseline.png; do
  [[ -s "$study/$file" ]] || { echo "study smoke run: $file was not written" >&2; exit 1; }
done

./scripts/container-smoke.sh
./scripts/check-deploy.sh

# One plain closing line for the whole run: "N passed, N failed".
summary=$(grep -E 'Passed!|Failed!' "$log" | tail -n 1)
passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
echo "tests: $passed passed, $failed failed"
