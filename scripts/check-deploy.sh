#!/usr/bin/env bash
# The Kubernetes and KServe manifests in deploy/, validated offline (no cluster, no schema download):
#   1. kustomize renders deploy/kubernetes/overlays/cpu and gpu (kubectl kustomize);
#   2. every object is checked against the Kubernetes OpenAPI schemas compiled into the npm package
#      kubernetes-models, the KServe objects against scripts/check-deploy/kserve/*.schema.json (the fields they
#      use, typed as in KServe's CRDs; no published KServe schema is reachable from the package registries);
#   3. the service's contract: probes on /health/ready and /health/live, requests and limits, non-root,
#      read-only root filesystem with an emptyDir /tmp, capabilities dropped, seccomp RuntimeDefault, selectors
#      that match, a GPU limit and Inference__Device=cuda in the gpu overlay only, protocol v2 for KServe.
# Installs what it lacks: kubectl (Debian's kubernetes-client) and the npm packages pinned in
# scripts/check-deploy/package-lock.json, kept in ${XDG_CACHE_HOME:-~/.cache}/digits-check-deploy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "error: $*" >&2; exit 1; }

if ! command -v kubectl >/dev/null 2>&1; then
  echo "installing kubectl (kubernetes-client) with apt…"
  sudo=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || fail "node and npm are needed"

tools=${XDG_CACHE_HOME:-$HOME/.cache}/digits-check-deploy
mkdir -p "$tools"
if ! cmp -s "$root/scripts/check-deploy/package-lock.json" "$tools/package-lock.json" || [[ ! -d "$tools/node_modules" ]]; then
  echo "installing the validator's npm packages into $tools…"
  cp "$root/scripts/check-deploy/package.json" "$root/scripts/check-deploy/package-lock.json" "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
cp -r "$root/scripts/check-deploy/validate.mjs" "$root/scripts/check-deploy/kserve" "$tools/"

# kubectl before 1.21 carries kustomize 2.0, which knows neither a folder under resources: nor patches:.
# (Debian's kubernetes-client is 1.20.) For it, render a copy translated to its older words.
manifests=$root/deploy/kubernetes
minor=$(kubectl version --client -o json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(parseInt(JSON.parse(s).clientVersion.minor)))')
echo "== kubectl kustomize (kubectl 1.$minor)"
if ((minor < 21)); then
  cp -r "$manifests" "$tmp/kubernetes"
  manifests=$tmp/kubernetes
  for kustomization in "$manifests"/overlays/*/kustomization.yaml; do
    perl -0pi -e 's/^resources:\n((?:  - \.\.\/.*\n)+)/bases:\n$1/m; s/^patches:\n/patchesStrategicMerge:\n/m; s/^  - path: /  - /mg' "$kustomization"
  done
  echo "   (kustomize 2.0: overlays translated to bases: and patchesStrategicMerge:)"
fi
arguments=()
for overlay in cpu gpu; do
  kubectl kustomize "$manifests/overlays/$overlay" >"$tmp/$overlay.yaml" 2>"$tmp/$overlay.err" \
    || { cat "$tmp/$overlay.err" >&2; fail "kustomize could not render overlays/$overlay"; }
  echo "   ok: overlays/$overlay ($(grep -c '^kind:' "$tmp/$overlay.yaml") objects)"
  arguments+=("$overlay:$tmp/$overlay.yaml")
done
for file in "$root"/deploy/kserve/*.yaml; do arguments+=("kserve:$file"); done

echo "== schemas and contract"
node "$tools/validate.mjs" "${arguments[@]}"
echo "PASS: deploy/kubernetes (cpu, gpu) and deploy/kserve validated offline"
