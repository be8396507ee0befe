#!/usr/bin/env bash
# Everything the tests need, then the tests: on a fresh machine with the .NET SDK, Node/npm and apt,
#   ./scripts/test.sh
# installs Chromium (Swagger UI browser test) and docker-compose (compose file check) if missing,
# fetches MNIST into data/mnist, runs the xUnit suite and the container smoke test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} with apt…"
  sudo=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

./scripts/fetch-mnist.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Service.sln -c Release 2>&1 | tee "$log"
./scripts/container-smoke.sh

# One plain closing line for the whole run: "N passed, N failed".
summary=$(grep -E 'Passed!|Failed!' "$log" | tail -n 1)
passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
echo "tests: $passed passed, $failed failed"
