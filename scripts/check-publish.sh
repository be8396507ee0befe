#!/usr/bin/env bash
# What the image would carry, checked without a Docker engine:
#   ./scripts/check-publish.sh [FOLDER]     check FOLDER, a `dotnet publish -r RID` output
#   ./scripts/check-publish.sh              publish Api for RID (default linux-x64) as the Dockerfile does, then check
# Fails when the folder is larger than the budget, holds the training pipeline (Training.dll, Trainer.dll), or
# holds a native library of another platform: any runtimes/ folder (a RID-specific publish flattens its own), a
# .dylib, .a, .aar or .framework, a native (not .NET) .dll, or an ELF library for another processor.
# Env: RID=linux-x64|linux-arm64; BUDGET_MB (default 60: the linux-x64 folder is about 40 MB, most of it
# ONNX Runtime's libonnxruntime.so and the committed models; every platform together was about 250 MB).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rid=${RID:-linux-x64}
budget_mb=${BUDGET_MB:-60}

fail() { echo "error: $*" >&2; exit 1; }

folder=${1:-}
if [[ -z "$folder" ]]; then
  folder=$(mktemp -d "${TMPDIR:-/tmp}/check-publish.XXXXXX")
  trap 'rm -rf "$folder"' EXIT
  echo "== dotnet publish Api/Api.csproj -c Release -r $rid -o $folder"
  dotnet publish "$root/Api/Api.csproj" -c Release -r "$rid" -o "$folder" -nologo -v quiet >"$folder.log" 2>&1 \
    || { cat "$folder.log" >&2; rm -f "$folder.log"; fail "dotnet publish failed"; }
  rm -f "$folder.log"
fi
[[ -f "$folder/Api.dll" ]] || fail "$folder holds no Api.dll"

case "$rid" in
  linux-x64) elf_machine=003e ;;   # EM_X86_64
  linux-arm64) elf_machine=00b7 ;; # EM_AARCH64
  *) fail "RID must be linux-x64 or linux-arm64, not $rid" ;;
esac

echo "== other platforms' native libraries in $folder ($rid)"
strays=()
while IFS= read -r -d '' path; do strays+=("${path#"$folder"/}"); done < <(
  find "$folder" \( -type d \( -name runtimes -o -name '*.framework' -o -name '*.xcframework' \) -prune \) -print0 -o \
    \( -type f \( -name '*.dylib' -o -name '*.a' -o -name '*.aar' -o -name '*.lib' \) -print0 \))

# Little-endian integer of $3 bytes at offset $2 of file $1.
read_le() { od -An -t u"$3" -j "$2" -N "$3" "$1" | tr -d ' '; }

# A .dll without a CLI header (data directory 14 of its PE optional header) is native Windows code.
while IFS= read -r -d '' dll; do
  pe=$(read_le "$dll" 60 4)
  magic=$(read_le "$dll" $((pe + 24)) 2)
  case "$magic" in
    267) directories=$((pe + 24 + 96)) ;;  # PE32
    523) directories=$((pe + 24 + 112)) ;; # PE32+
    *) strays+=("${dll#"$folder"/} (not a PE file)"); continue ;;
  esac
  cli_rva=$(read_le "$dll" $((directories + 14 * 8)) 4)
  [[ "$cli_rva" != 0 ]] || strays+=("${dll#"$folder"/} (native Windows library)")
done < <(find "$folder" -type f -name '*.dll' -print0)

elf_count=0
while IFS= read -r -d '' library; do
  [[ $(od -An -t x1 -N 4 "$library" | tr -d ' ') == 7f454c46 ]] || continue
  elf_count=$((elf_count + 1))
  machine=$(od -An -t x2 -j 18 -N 2 "$library" | tr -d ' ')
  [[ "$machine" == "$elf_machine" ]] || strays+=("${library#"$folder"/} (ELF machine 0x$machine, not $rid)")
done < <(find "$folder" -type f \( -name '*.so' -o -name '*.so.*' \) -print0)

if ((${#strays[@]})); then
  printf '   %s\n' "${strays[@]}" >&2
  fail "${#strays[@]} files of other platforms in the $rid publish output"
fi
((elf_count > 0)) || fail "no $rid native library at all: was this published with -r $rid?"
echo "   ok: $elf_count native libraries, all $rid; no runtimes/ folder, no .dylib or native .dll"

echo "== training code"
for training in Training.dll Trainer.dll; do
  [[ ! -e "$folder/$training" ]] || fail "$folder holds $training: the service must not ship the training pipeline"
done
echo "   ok: no Training.dll or Trainer.dll"

echo "== size budget"
size_kb=$(du -sk "$folder" | cut -f1)
size_mb=$(((size_kb + 1023) / 1024))
echo "   $size_mb MB (budget $budget_mb MB); largest files:"
find "$folder" -type f -printf '%s\t%P\n' | sort -nr | head -n 5 | awk -F'\t' '{ printf "     %6.1f MB  %s\n", $1 / 1048576, $2 }'
((size_mb <= budget_mb)) || fail "the publish output is $size_mb MB, over the $budget_mb MB budget"
echo "PASS: $rid publish output, $size_mb MB of $budget_mb MB, one platform's native libraries"
