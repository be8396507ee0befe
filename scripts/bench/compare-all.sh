#!/usr/bin/env bash
# The side-by-side HTTP runs of docs/benchmarks/http.md, one after another, each log kept:
#   ./scripts/bench/compare-all.sh [OUTPUT_FOLDER]
# Needs ../shared/bench (the peers and compare.sh) beside the repository.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/benchmarks/http-runs}
mkdir -p "$out"
bench=../shared/bench/compare.sh
# The default enhanced model (the project serves its default; the peers the same file).
bash "$bench" models/enhanced-relu_softsign.onnx scripts/digit-7.png 32 10 3 2>&1 | tee "$out/enhanced-default-c32.txt"
PROJECT_QUERY='?model=baseline-relu' bash "$bench" models/baseline-relu.onnx scripts/digit-7.png 32 10 3 2>&1 | tee "$out/baseline-relu-c32.txt"
WITH_NULL=1 PROJECT_QUERY='?model=enhanced-relu' bash "$bench" models/enhanced-relu.onnx scripts/digit-7.png 32 10 3 2>&1 | tee "$out/enhanced-relu-c32-with-null.txt"
bash scripts/bench/compare-c1.sh models/enhanced-relu_softsign.onnx scripts/digit-7.png 10 3 2>&1 | tee "$out/enhanced-default-c1.txt"
