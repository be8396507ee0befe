#!/usr/bin/env bash
# The image's HEALTHCHECK: GET /health/ready over bash's /dev/tcp, exit 0 on 200, 1 otherwise.
# No curl or wget in the image, and no second .NET process every interval: one bash, one request.
# The port is the one the server listens on, read as Kestrel reads it: the first http:// address in
# ASPNETCORE_URLS (or DOTNET_URLS), which wins as it does for the server, else the first port in
# ASPNETCORE_HTTP_PORTS (or DOTNET_HTTP_PORTS), else 8080. `dotnet /app/Api.dll --probe` applies the same
# rules where an image has no bash.
set -uo pipefail

port=""
urls=${ASPNETCORE_URLS:-${DOTNET_URLS:-}}
IFS=';' read -ra addresses <<<"$urls"
for address in "${addresses[@]}"; do
  address=${address// /}
  [[ "$address" == [Hh][Tt][Tt][Pp]://* ]] || continue
  authority=${address#*://}
  authority=${authority%%/*}
  if [[ "$authority" =~ :([0-9]+)$ ]]; then port=${BASH_REMATCH[1]}; else port=80; fi
  break
done
if [[ -z "$port" ]]; then
  IFS=';' read -ra ports <<<"${ASPNETCORE_HTTP_PORTS:-${DOTNET_HTTP_PORTS:-}}"
  for candidate in "${ports[@]}"; do
    candidate=${candidate// /}
    if [[ "$candidate" =~ ^[0-9]+$ ]] && ((candidate > 0 && candidate <= 65535)); then port=$candidate; break; fi
  done
fi
port=${port:-8080}

exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "nothing listens on port $port" >&2; exit 1; }
printf 'GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS=' ' read -r -t 5 protocol status _ <&3 || { echo "no answer on port $port" >&2; exit 1; }
exec 3<&-
echo "$protocol $status (port $port)"
[[ "$status" == 200 ]]
