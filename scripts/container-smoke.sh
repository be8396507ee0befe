#!/usr/bin/env bash
# The container's contract, checked without a Docker engine (CI has none):
#   1. lint: hadolint where installed, and always the scripted rules below: multi-stage, base images pinned to a
#      patch, one runtime identifier published, non-root USER, OCI labels, EXPOSE 8080, a HEALTHCHECK running
#      /app/healthcheck.sh, a gpu target on a pinned CUDA + cuDNN image; docker-compose.yml parses with every
#      profile (docker-compose config) and keeps its read-only root filesystem, /tmp tmpfs and health check;
#   2. publish the API exactly as the Dockerfile's build stage does (-r linux-x64), check the models are baked
#      in, and run scripts/check-publish.sh on it (size budget, no other platform's native libraries, no
#      training code);
#   3. run the published Api.dll from a read-only copy of its folder (only TMPDIR writable, as the image's
#      --read-only --tmpfs /tmp) with the runtime stage's ENV lines and ASPNETCORE_HTTP_PORTS moved to a port
#      other than 8080; wait with the HEALTHCHECK's own command, which must follow that port, then classify a
#      real MNIST digit (scripts/digit-7.png, a handwritten 7 from MNIST) and check a bad request
#      gets a ProblemDetails.
# Exits non-zero on the first failure, printing the server log; ends with a PASS line.
# Env: PORT=<n> forces the port; KEEP_TMP=1 keeps the publish folder and log.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/container-smoke.XXXXXX")
log="$tmp/server.log"
server_pid=""
ready_timeout_s=60

cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s "$log" ]]; then
    echo "---- server log ($log) ----" >&2
    cat "$log" >&2
    echo "---- end of server log ----" >&2
  fi
  chmod -R u+w "$tmp" 2>/dev/null || true
  if [[ "${KEEP_TMP:-}" == 1 ]]; then
    echo "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  if [[ $status -ne 0 ]]; then
    echo "FAIL: container smoke test (exit $status)" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "error: $*" >&2; exit 1; }
step() { echo "== $*"; }

# ---- 1. Lint ---------------------------------------------------------------------------------------------------
dockerfile="$root/Dockerfile"
if command -v hadolint >/dev/null 2>&1; then
  step "hadolint Dockerfile"
  hadolint "$dockerfile" || fail "hadolint reports problems in the Dockerfile"
fi
step "Dockerfile lint (scripted rules)"
# One logical line per instruction: continuation lines joined.
instructions=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -Ev '^[[:space:]]*(#|$)')
expect_line() { # description, extended regex
  grep -Eiq "$2" <<<"$instructions" || fail "Dockerfile: $1 (no line matches /$2/)"
  echo "   ok: $1"
}
arg_default() { grep -Ei "^ARG[[:space:]]+$1=" <<<"$instructions" | head -n 1 | sed -E 's/^[^=]*=//'; }
sdk_version=$(arg_default DOTNET_SDK_VERSION)
aspnet_version=$(arg_default DOTNET_VERSION)
cuda_image=$(arg_default CUDA_IMAGE)
[[ "$sdk_version" =~ ^10\.0\.[0-9]+$ ]] || fail "Dockerfile: ARG DOTNET_SDK_VERSION='$sdk_version' is not a pinned 10.0 patch"
[[ "$aspnet_version" =~ ^10\.0\.[0-9]+$ ]] || fail "Dockerfile: ARG DOTNET_VERSION='$aspnet_version' is not a pinned 10.0 patch"
echo "   ok: sdk:$sdk_version and aspnet:$aspnet_version, pinned to a patch"
[[ "$cuda_image" =~ ^nvidia/cuda:13\.[0-9]+\.[0-9]+-cudnn-runtime-ubuntu[0-9.]+$ ]] \
  || fail "Dockerfile: ARG CUDA_IMAGE='$cuda_image' is not a pinned CUDA 13 + cuDNN runtime image"
echo "   ok: gpu base $cuda_image (CUDA 13, cuDNN 9 for ONNX Runtime 1.31)"
expect_line "build stages FROM the pinned .NET SDK" '^FROM[[:space:]]+(--platform=\S+[[:space:]]+)?mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET_SDK_VERSION\}[[:space:]]+AS[[:space:]]'
expect_line "the ASP.NET runtime FROM the pinned aspnet image" '^FROM[[:space:]]+mcr\.microsoft\.com/dotnet/aspnet:\$\{DOTNET_VERSION\}[[:space:]]+AS[[:space:]]'
expect_line "a runtime identifier chosen by build argument, linux-x64 by default" '^ARG[[:space:]]+RID=linux-x64$'
expect_line "publish for that runtime identifier only" '^RUN[[:space:]]+dotnet publish .*-r "\$RID"'
expect_line "the CUDA build against the ONNX Runtime GPU package" '^RUN[[:space:]]+dotnet publish .*-p:UseCuda=true'
expect_line "a gpu target on the CUDA image" '^FROM[[:space:]]+\$\{CUDA_IMAGE\}[[:space:]]+AS[[:space:]]+gpu$'
expect_line "the build copies the MSBuild files it needs" '^COPY[[:space:]]+Directory\.Build\.props[[:space:]]+Directory\.Build\.targets[[:space:]]+Directory\.Packages\.props'
expect_line "EXPOSE 8080" '^EXPOSE[[:space:]]+8080([[:space:]]|/tcp|$)'
expect_line "OCI labels" '^LABEL[[:space:]].*org\.opencontainers\.image\.title=.*org\.opencontainers\.image\.version='
expect_line "ENTRYPOINT runs Api.dll" '^ENTRYPOINT[[:space:]].*Api\.dll'
[[ $(grep -Eic '^FROM[[:space:]]' <<<"$instructions") -ge 2 ]] || fail "Dockerfile: not multi-stage"
# Each image (the gpu target and the final, default stage) must end as non-root with the health check.
for target in gpu runtime; do
  stage=$(awk -v target="$target" 'toupper($1) == "FROM" { inside = (tolower($NF) == target) } inside' <<<"$instructions")
  [[ -n "$stage" ]] || fail "Dockerfile: no stage named $target"
  user=$(grep -Ei '^USER[[:space:]]' <<<"$stage" | tail -n 1 | awk '{print $2}')
  [[ -n "$user" && "$user" != root && "$user" != 0 && "$user" != 0:0 ]] || fail "Dockerfile: stage $target runs as '${user:-root}'"
  grep -Eq '^HEALTHCHECK[[:space:]].*CMD[[:space:]]+\["bash", *"/app/healthcheck\.sh"\]' <<<"$stage" \
    || fail "Dockerfile: stage $target has no HEALTHCHECK running /app/healthcheck.sh"
  grep -Eq '^COPY[[:space:]]+deploy/docker/healthcheck\.sh[[:space:]]+/app/healthcheck\.sh' <<<"$stage" \
    || fail "Dockerfile: stage $target does not copy deploy/docker/healthcheck.sh"
  echo "   ok: stage $target runs as USER $user with the bash health check"
done
last_from=$(grep -Ei '^FROM[[:space:]]' <<<"$instructions" | tail -n 1)
[[ "$last_from" =~ ^FROM[[:space:]]+aspnet[[:space:]]+AS[[:space:]]+runtime$ ]] || fail "Dockerfile: the final (default) stage is not the aspnet runtime: $last_from"
echo "   ok: the default target is the CPU runtime"
grep -Eq '^!deploy/docker/healthcheck\.sh$' "$root/.dockerignore" || fail ".dockerignore keeps deploy/docker/healthcheck.sh out of the build context"

step "docker-compose.yml"
compose="$root/docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f "$compose" config -q || fail "docker-compose config reports errors in docker-compose.yml"
  docker-compose -f "$compose" --profile gpu --profile monitoring config >"$tmp/compose.yml" \
    || fail "docker-compose config reports errors with the gpu and monitoring profiles"
  for service in digits-api digits-api-gpu prometheus; do
    grep -Eq "^  $service:" "$tmp/compose.yml" || fail "docker-compose.yml: no service $service with every profile"
  done
  # Profiles as rendered: digits-api has none (it always starts), the others only start with theirs.
  profiles_of() { awk -v service="  $1:" '$0 == service { inside = 1; next } /^  [^ ]/ { inside = 0 } inside && /^    profiles:/ { getline; sub(/^ *- */, ""); print }' "$tmp/compose.yml"; }
  [[ -z $(profiles_of digits-api) ]] || fail "docker-compose.yml: digits-api must start without a profile"
  [[ $(profiles_of digits-api-gpu) == gpu ]] || fail "docker-compose.yml: digits-api-gpu is not in the gpu profile"
  [[ $(profiles_of prometheus) == monitoring ]] || fail "docker-compose.yml: prometheus is not in the monitoring profile"
  echo "   ok: docker-compose config, with and without the gpu and monitoring profiles"
else
  echo "   skipped: docker-compose is not installed (apt-get install docker-compose)"
fi
for pattern in '"/app/healthcheck\.sh"' 'read_only: true' '- /tmp' '8080:8080' 'profiles: \["gpu"\]' 'profiles: \["monitoring"\]' 'driver: nvidia' 'memory: '; do
  grep -Eq -- "$pattern" "$compose" || fail "docker-compose.yml: nothing matches /$pattern/"
done
grep -Eq 'metrics_path: /metrics' "$root/deploy/prometheus/prometheus.yml" || fail "deploy/prometheus/prometheus.yml does not scrape /metrics"
echo "   ok: health check, read-only root with tmpfs /tmp, limits, gpu device reservation, Prometheus on /metrics"

# ---- 2. Publish, as the Dockerfile's build stage does -------------------------------------------------------------
rid=linux-x64
step "dotnet publish Api/Api.csproj -c Release -r $rid --self-contained false -o $tmp/app"
dotnet publish Api/Api.csproj -c Release -r "$rid" --self-contained false -o "$tmp/app" -nologo -v quiet >"$tmp/publish.log" 2>&1 \
  || { cat "$tmp/publish.log" >&2; fail "dotnet publish failed"; }
[[ -f "$tmp/app/Api.dll" ]] || fail "the publish output has no Api.dll"
cp "$root/deploy/docker/healthcheck.sh" "$tmp/app/healthcheck.sh" # COPY deploy/docker/healthcheck.sh /app/healthcheck.sh
shopt -s nullglob
committed=("$root"/models/*.onnx)
published=("$tmp"/app/models/*.onnx)
shopt -u nullglob
[[ ${#committed[@]} -gt 0 ]] || fail "no committed models in $root/models"
for model in "${committed[@]}"; do
  name=$(basename "$model")
  cmp -s "$model" "$tmp/app/models/$name" || fail "models/$name is not baked into the publish output"
  cmp -s "${model%.onnx}.json" "$tmp/app/models/${name%.onnx}.json" || fail "the card of models/$name is not baked into the publish output"
done
echo "   ok: ${#published[@]} models (+ cards) in app/models: $(cd "$tmp/app/models" && echo *.onnx)"
# The image runs as a non-root user over files copied as root: they must be readable by others.
unreadable=$(find "$tmp/app" -type f ! -perm -o=r | head -n 5)
[[ -z "$unreadable" ]] || fail "files a non-root user could not read: $unreadable"
RID=$rid "$root/scripts/check-publish.sh" "$tmp/app"

# ---- 3. Run, as the runtime stage does, on a read-only root ----------------------------------------------------
# The runtime stage's ENV lines, applied as written; variables that would change the behaviour and that the
# image does not set are removed from this shell's environment when the server starts.
runtime_stage=$(awk 'toupper($1) == "FROM" { inside = (tolower($NF) == "runtime") } inside' <<<"$instructions")
container_env=(DOTNET_RUNNING_IN_CONTAINER=true) # set by the aspnet base image
image_port=8080
while read -r assignment; do
  [[ "$assignment" == *=* ]] || fail "Dockerfile: cannot read ENV '$assignment' (use KEY=VALUE)"
  container_env+=("$assignment")
  if [[ "$assignment" == ASPNETCORE_HTTP_PORTS=* ]]; then image_port=${assignment#*=}; fi
done < <(grep -Ei '^ENV[[:space:]]' <<<"$runtime_stage" | sed -E 's/^ENV[[:space:]]+//I' | tr -s ' \t' '\n' | grep -v '^$')
[[ "$image_port" == 8080 ]] || fail "Dockerfile: the runtime stage's ASPNETCORE_HTTP_PORTS is $image_port, not 8080"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Never the image's 8080: the health check must follow ASPNETCORE_HTTP_PORTS, as `docker run -e` would set it.
port=${PORT:-}
if [[ -z "$port" ]]; then
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || break
  done
fi
container_env+=("ASPNETCORE_HTTP_PORTS=$port")
echo "   env: ${container_env[*]}"

# The image's /app is root-owned and read-only to the service; --read-only --tmpfs /tmp leaves only /tmp.
app="$tmp/app"
writable="$tmp/writable-tmp"
mkdir -p "$writable"
chmod -R a-w "$app"
chmod 1777 "$writable"
chmod 755 "$tmp"
# Root writes through permissions: as root (CI), run as the image's user 1654 instead, so a write outside
# TMPDIR fails here as it would on the image's read-only root.
as_user=()
if [[ $(id -u) == 0 ]]; then
  command -v setpriv >/dev/null 2>&1 || fail "setpriv (util-linux) is needed to run as a non-root user"
  as_user=(setpriv --reuid=1654 --regid=1654 --clear-groups)
fi
(cd "$app" && "${as_user[@]}" touch "$app/write-test" 2>/dev/null) && fail "$app is still writable by the service's user"
echo "   ok: $app is read-only to the service's user$([[ ${#as_user[@]} -gt 0 ]] && echo " (uid 1654)")"
run_env=("${as_user[@]}" env -u ASPNETCORE_URLS -u URLS -u DOTNET_URLS -u ASPNETCORE_ENVIRONMENT -u DOTNET_ENVIRONMENT
  -u ASPNETCORE_HTTPS_PORTS -u DOTNET_HTTP_PORTS "TMPDIR=$writable" "HOME=$app" "${container_env[@]}")
healthcheck() { (cd "$app" && "${run_env[@]}" bash "$app/healthcheck.sh"); } # the HEALTHCHECK's CMD

step "the health check fails while nothing listens on port $port"
if healthcheck >"$tmp/probe.log" 2>&1; then fail "the health check passed with no server: $(cat "$tmp/probe.log")"; fi
echo "   ok: exit 1 ($(tr '\n' ' ' <"$tmp/probe.log"))"

step "start dotnet Api.dll in read-only $app, TMPDIR=$writable (log: $log)"
(
  cd "$app"
  exec "${run_env[@]}" dotnet Api.dll
) >"$log" 2>&1 &
server_pid=$!
started=$SECONDS
base="http://127.0.0.1:$port"

step "wait for readiness with the HEALTHCHECK's command (bash /app/healthcheck.sh), up to ${ready_timeout_s}s"
deadline=$((SECONDS + ready_timeout_s))
until healthcheck >"$tmp/probe.log" 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was ready"
  ((SECONDS < deadline)) || fail "not ready after ${ready_timeout_s}s; last health check: $(cat "$tmp/probe.log")"
  sleep 1
done
echo "   ok: ready after $((SECONDS - started))s (health check: $(cat "$tmp/probe.log"))"

step "dotnet Api.dll --probe follows the port too (images without bash)"
(cd "$app" && "${run_env[@]}" dotnet Api.dll --probe) >"$tmp/dotnet-probe.log" 2>&1 \
  || fail "dotnet Api.dll --probe failed on port $port: $(cat "$tmp/dotnet-probe.log")"
echo "   ok: $(cat "$tmp/dotnet-probe.log")"

step "POST /v1/classify with curl -F image=@scripts/digit-7.png"
status=$(curl -sS -o "$tmp/classify.json" -w '%{http_code}' -F "image=@$root/scripts/digit-7.png" "$base/v1/classify") \
  || fail "curl could not reach $base/v1/classify"
[[ "$status" == 200 ]] || fail "classify answered $status: $(cat "$tmp/classify.json")"
digit=$(grep -Eo '"digit"[[:space:]]*:[[:space:]]*[0-9]+' "$tmp/classify.json" | grep -Eo '[0-9]+$' || true)
[[ "$digit" == 7 ]] || fail "expected digit 7, got '${digit}': $(cat "$tmp/classify.json")"
echo "   ok: 200 $(cat "$tmp/classify.json")"

step "POST /v1/classify with a text/plain body"
headers="$tmp/bad.headers"
status=$(curl -sS -o "$tmp/bad.json" -D "$headers" -w '%{http_code}' -H 'Content-Type: text/plain' --data 'not an image' "$base/v1/classify") \
  || fail "curl could not reach $base/v1/classify"
[[ "$status" == 415 ]] || fail "a text/plain body got $status, not 415: $(cat "$tmp/bad.json")"
grep -Eiq '^content-type:[[:space:]]*application/problem\+json' "$headers" || fail "the 415 is not application/problem+json: $(cat "$headers")"
grep -q '"status":415' "$tmp/bad.json" && grep -q '"type":' "$tmp/bad.json" && grep -q '"title":' "$tmp/bad.json" \
  || fail "the 415 body is not a ProblemDetails: $(cat "$tmp/bad.json")"
echo "   ok: 415 application/problem+json $(cat "$tmp/bad.json")"

step "documentation is served"
for path in /openapi/v1.json /swagger/index.html; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' "$base$path") || fail "curl could not reach $base$path"
  [[ "$status" == 200 ]] || fail "GET $path answered $status"
  echo "   ok: GET $path 200"
done

kill -0 "$server_pid" 2>/dev/null || fail "the server died during the checks"
grep -Eiq 'read-only file system|UnauthorizedAccessException|Access to the path .* is denied' "$log" \
  && fail "the server tried to write outside /tmp: $(grep -Ei 'read-only|denied' "$log" | head -n 3)"
echo "PASS: container contract (Dockerfile lint, compose config, $rid publish with baked-in models within budget, read-only run, health check on port $port, classify 7, 415 ProblemDetails)"
