#!/usr/bin/env bash
# A long upload fuzz campaign: the CI fuzz test with more inputs (default 200,000), run by hand.
# Usage: scripts/fuzz-uploads.sh [inputs]
# Prints the counts by status class, the slowest answer and the working set before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs="${1:-200000}"
dotnet build Tests -c Release -v q -nologo
FUZZ_INPUTS="$inputs" dotnet test Tests -c Release --no-build \
  --filter "FullyQualifiedName~Tests.Api.UploadFuzzTests" \
  --logger "console;verbosity=detailed" 2>&1 \
  | sed -n '/Standard Output Messages/,/^$/p;/Passed!\|Failed!\|Total tests/p'
