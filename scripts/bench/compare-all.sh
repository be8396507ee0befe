#!/usr/bin/env bash
# The side-by-side HTTP runs of docs/benchmarks/http.md, one after another, each log kept:
#   ./scripts/bench/compare-all.sh [OUTPUT_FOLDER]
# Needs ../shared/bench (the peers and compare.sh) beside the repository.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/benchmarks/http-runs}
mkdir -p "$out"
bench=../shared/bench/compare.sh
# The default model, as the service picks it: the enhanced model with the best validation accuracy, a tie going to the
# first name. The project serves its default; the peers the same file.
default=$(python3 -c '
import glob, json
cards = [json.load(open(f)) for f in sorted(glob.glob("models/enhanced-*.json"))]
print(max(cards, key=lambda c: (c["validationAccuracy"], [-ord(ch) for ch in c["name"]]))["name"])')
echo "default model: $default"
bash "$bench" "models/$default.onnx" scripts/digit-7.png 32 10 3 2>&1 | tee "$out/enhanced-default-c32.txt"
PROJECT_QUERY='?model=baseline-relu' bash "$bench" models/baseline-relu.onnx scripts/digit-7.png 32 10 3 2>&1 | tee "$out/baseline-relu-c32.txt"
WITH_NULL=1 PROJECT_QUERY='?model=enhanced-relu' bash "$bench" models/enhanced-relu.onnx scripts/digit-7.png 32 10 3 2>&1 | tee "$out/enhanced-relu-c32-with-null.txt"
bash scripts/bench/compare-c1.sh "models/$default.onnx" scripts/digit-7.png 10 3 2>&1 | tee "$out/enhanced-default-c1.txt"
