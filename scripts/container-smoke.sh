#!/usr/bin/env bash
# The container's contract, checked without a Docker engine (CI has none):
#   1. lint: the Dockerfile is multi-stage (sdk → aspnet), runs as a non-root USER, EXPOSEs 8080 and has a
#      HEALTHCHECK that runs `dotnet /app/Api.dll --probe`; docker-compose.yml parses (when docker-compose is installed);
#   2. publish the API exactly as the Dockerfile's build stage does, and check the models are baked in;
#   3. run the published Api.dll from its folder with the image's ENV lines (ASPNETCORE_HTTP_PORTS moved to a
#      free port if 8080 is taken), wait with the HEALTHCHECK's own command, then classify a real MNIST digit
#      (scripts/digit-7.png, a 7 from the test split of data/mnist) and check a bad request gets a ProblemDetails.
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
step "Dockerfile lint"
dockerfile="$root/Dockerfile"
# One logical line per instruction: continuation lines joined.
instructions=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -Ev '^[[:space:]]*(#|$)')
expect_line() { # description, extended regex
  grep -Eiq "$2" <<<"$instructions" || fail "Dockerfile: $1 (no line matches /$2/)"
  echo "   ok: $1"
}
expect_line "build stage FROM the .NET SDK" '^FROM[[:space:]]+mcr\.microsoft\.com/dotnet/sdk:[^[:space:]]+[[:space:]]+AS[[:space:]]+build'
expect_line "runtime stage FROM the ASP.NET runtime" '^FROM[[:space:]]+mcr\.microsoft\.com/dotnet/aspnet:'
expect_line "runtime stage copies the build stage's output" '^COPY[[:space:]]+--from=build'
expect_line "EXPOSE 8080" '^EXPOSE[[:space:]]+8080([[:space:]]|/tcp|$)'
expect_line "HEALTHCHECK runs Api.dll --probe" '^HEALTHCHECK[[:space:]].*CMD.*Api\.dll.*--probe'
expect_line "ENTRYPOINT runs Api.dll" '^ENTRYPOINT[[:space:]].*Api\.dll'
user=$(grep -Ei '^USER[[:space:]]' <<<"$instructions" | tail -n 1 | awk '{print $2}')
[[ -n "$user" ]] || fail "Dockerfile: no USER instruction, so the container would run as root"
[[ "$user" != root && "$user" != 0 && "$user" != "0:0" ]] || fail "Dockerfile: the last USER is '$user' (root)"
echo "   ok: runs as non-root USER $user"
[[ $(grep -Eic '^FROM[[:space:]]' <<<"$instructions") -ge 2 ]] || fail "Dockerfile: not multi-stage"
from_aspnet=$(grep -Ein '^FROM[[:space:]]' <<<"$instructions" | tail -n 1)
grep -q 'dotnet/aspnet' <<<"$from_aspnet" || fail "Dockerfile: the final stage is not the aspnet runtime: $from_aspnet"
echo "   ok: the final stage is the aspnet runtime"

step "docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f "$root/docker-compose.yml" config -q || fail "docker-compose config reports errors in docker-compose.yml"
  echo "   ok: docker-compose config -q"
else
  echo "   skipped: docker-compose is not installed (apt-get install docker-compose)"
fi
grep -Eq -- '"--probe"' "$root/docker-compose.yml" || fail "docker-compose.yml: the healthcheck does not run Api.dll --probe"
grep -Eq -- '8080:8080' "$root/docker-compose.yml" || fail "docker-compose.yml: port 8080 is not published"
echo "   ok: compose healthcheck and port agree with the Dockerfile"

# ---- 2. Publish, as the Dockerfile's build stage does -------------------------------------------------------------
step "dotnet publish Api/Api.csproj -c Release -o $tmp/app"
dotnet publish Api/Api.csproj -c Release -o "$tmp/app" -nologo -v quiet >"$tmp/publish.log" 2>&1 \
  || { cat "$tmp/publish.log" >&2; fail "dotnet publish failed"; }
[[ -f "$tmp/app/Api.dll" ]] || fail "the publish output has no Api.dll"
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

# ---- 3. Run, as the runtime stage does ---------------------------------------------------------------------------
# The image's ENV lines, applied as written; variables that would change the behaviour and that the image
# does not set are removed from this shell's environment when the server starts.
container_env=(DOTNET_RUNNING_IN_CONTAINER=true) # set by the aspnet base image
image_port=8080
while read -r assignment; do
  [[ "$assignment" == *=* ]] || fail "Dockerfile: cannot read ENV '$assignment' (use KEY=VALUE)"
  container_env+=("$assignment")
  if [[ "$assignment" == ASPNETCORE_HTTP_PORTS=* ]]; then image_port=${assignment#*=}; fi
done < <(grep -Ei '^ENV[[:space:]]' <<<"$instructions" | sed -E 's/^ENV[[:space:]]+//I' | tr -s ' \t' '\n' | grep -v '^$')

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${PORT:-$image_port}
if [[ -z "${PORT:-}" ]] && port_in_use "$port"; then
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || break
  done
fi
if [[ "$port" != "$image_port" ]]; then
  echo "   port $image_port is in use here (or PORT is set): ASPNETCORE_HTTP_PORTS=$port overrides the image's value"
  container_env+=("ASPNETCORE_HTTP_PORTS=$port")
fi
echo "   env: ${container_env[*]}"

step "start dotnet Api.dll in $tmp/app (log: $log)"
(
  cd "$tmp/app"
  exec env -u ASPNETCORE_URLS -u URLS -u ASPNETCORE_ENVIRONMENT -u DOTNET_ENVIRONMENT -u ASPNETCORE_HTTPS_PORTS \
    "${container_env[@]}" dotnet Api.dll
) >"$log" 2>&1 &
server_pid=$!
started=$SECONDS
base="http://127.0.0.1:$port"

step "wait for readiness with the HEALTHCHECK's command (dotnet Api.dll --probe), up to ${ready_timeout_s}s"
probe() {
  if [[ "$port" == 8080 ]]; then # the probe's default URL is http://localhost:8080/health/ready
    (cd "$tmp/app" && dotnet Api.dll --probe) # exactly the image's HEALTHCHECK
  else
    (cd "$tmp/app" && dotnet Api.dll --probe "$base/health/ready")
  fi
}
deadline=$((SECONDS + ready_timeout_s))
until probe >"$tmp/probe.log" 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was ready"
  ((SECONDS < deadline)) || fail "not ready after ${ready_timeout_s}s; last probe: $(cat "$tmp/probe.log")"
  sleep 1
done
echo "   ok: ready after $((SECONDS - started))s (probe: $(cat "$tmp/probe.log"))"

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
echo "PASS: container contract (Dockerfile lint, compose config, publish with baked-in models, probe readiness, classify 7, 415 ProblemDetails) on port $port"
