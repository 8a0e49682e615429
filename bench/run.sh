#!/usr/bin/env bash
# The load test of issue 8 ("Speed and scale"), in one run on this machine, against one stand-in provider (nginx answering a fixed small
# chat.completion): the provider directly, a bare HttpClient forwarder (the floor: what forwarding alone costs here), ByokPortal's gateway
# (the Release build of src/ByokPortal.Gateway over a freshly seeded scale database), Portkey's open-source gateway (the peer), and
# ByokPortal's POST /api/v1/resolve. wrk drives each: -t2 -c32 for throughput, -t1 -c1 for the latency one request adds. It prints
# requests/s, p50 and p99, the p50 overhead over direct, CPU time per request of each server process, and the targets of issue 8. The
# forwarder and the gateway are measured twice per round (forwarder, gateway, gateway, forwarder) and reported as the mean of the two.
#
# Installs what is missing: wrk (apt-get), nginx (apt-get download, unpacked under bench/.tools, no service), Portkey's gateway
# (npm, under bench/.tools, ignored by git). Never run by ./test.sh.
#
# Settings (environment): BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 5), BENCH_ROUNDS (default 1; more prints each
# target's median over the rounds),
# BENCH_SETTLE (s, default 60: load on each .NET server once after it starts, until tiered compilation has settled),
# BENCH_PORT_BASE (default 18080: provider, +1 gateway, +2 forwarder, +3 Portkey), BENCH_SKIP_PORTKEY=1, BENCH_KEEP=1 (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS=$ROOT/bench/.tools
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-5}
SETTLE=${BENCH_SETTLE:-60}
ROUNDS=${BENCH_ROUNDS:-1}
PORT_BASE=${BENCH_PORT_BASE:-18080}
PROVIDER_PORT=$PORT_BASE
GATEWAY_PORT=$((PORT_BASE + 1))
FORWARDER_PORT=$((PORT_BASE + 2))
PORTKEY_PORT=$((PORT_BASE + 3))
PORTKEY_VERSION=1.15.2
PROVIDER_KEY=sk-bench-provider-key
TICKS=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/byokportal-load-XXXXXX)
PIDS=()

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { printf '%s\n' "$*" >&2; }

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = "1" ]; then log "Work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- What the run needs -------------------------------------------------------------------------------------------------------------
apt_updated=0
apt_install() {
  if [ $apt_updated -eq 0 ]; then $SUDO apt-get update -qq || return 1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# Required: without these the run cannot measure anything, so it stops with what to install.
need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  log "Installing $2…"
  apt_install "$2" && command -v "$1" >/dev/null 2>&1 && return 0
  log "Cannot run the load test: '$1' is missing and 'apt-get install $2' failed. Install $2 and run again."
  exit 2
}
need wrk wrk
need curl curl

NGINX=$(command -v nginx || true)
if [ -z "$NGINX" ]; then
  NGINX=$TOOLS/nginx/usr/sbin/nginx
  if [ ! -x "$NGINX" ]; then
    log "Unpacking Debian's nginx under bench/.tools (no service)…"
    mkdir -p "$TOOLS/download"
    if ! (cd "$TOOLS/download" && { apt-get download nginx >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download nginx >/dev/null; }; }) \
      || ! dpkg-deb -x "$TOOLS"/download/nginx_*.deb "$TOOLS/nginx"; then
      log "Cannot run the load test: the stand-in provider needs nginx, and 'apt-get download nginx' failed. Install nginx and run again."
      exit 2
    fi
    rm -rf "$TOOLS/download"
  fi
fi

# Optional: the peer. Without node or the npm package the run goes on without it, and says so in its report.
PORTKEY=$TOOLS/portkey/node_modules/@portkey-ai/gateway/build/start-server.js
PORTKEY_MISSING=""
if [ "${BENCH_SKIP_PORTKEY:-0}" = "1" ]; then
  PORTKEY_MISSING="skipped (BENCH_SKIP_PORTKEY=1)"
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PORTKEY_MISSING="not measured: node and npm are not installed (apt-get install nodejs npm)"
elif [ ! -f "$PORTKEY" ]; then
  log "Installing Portkey's gateway $PORTKEY_VERSION from npm under bench/.tools…"
  mkdir -p "$TOOLS/portkey"
  if ! npm install --prefix "$TOOLS/portkey" --no-audit --no-fund --save-exact "@portkey-ai/gateway@$PORTKEY_VERSION" >"$WORK/npm.log" 2>&1 || [ ! -f "$PORTKEY" ]; then
    PORTKEY_MISSING="not measured: 'npm install @portkey-ai/gateway@$PORTKEY_VERSION' failed ($(tail -n 1 "$WORK/npm.log"))"
  fi
fi
if [ -n "$PORTKEY_MISSING" ]; then log "Portkey's gateway: $PORTKEY_MISSING. Going on without the peer."; fi

for port in $PROVIDER_PORT $GATEWAY_PORT $FORWARDER_PORT $PORTKEY_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then log "Port $port is in use: set BENCH_PORT_BASE."; exit 1; fi
done

log "Building the gateway, the portal (for the seeder) and the bare forwarder (Release)…"
dotnet build src/ByokPortal.Gateway/ByokPortal.Gateway.csproj -c Release -v q -nologo >/dev/null
dotnet build src/ByokPortal.Web/ByokPortal.Web.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/Forwarder/Forwarder.csproj -c Release -v q -nologo >/dev/null

log "Seeding the scale data (5,000 organizations, 10,000 API keys, …) into $WORK/data…"
dotnet run -c Release --no-build --no-launch-profile --project src/ByokPortal.Web -- seed-scale --base-url "http://127.0.0.1:$PROVIDER_PORT/v1" \
  "--Portal:DataDirectory=$WORK/data" "--Logging:LogLevel:Default=Warning" "--Portal:Auth:AllowDemoSignIn=true" >&2
IFS=$'\t' read -r TOKEN MODEL _ < "$WORK/data/scale-api-keys.tsv"

# --- The servers --------------------------------------------------------------------------------------------------------------------
sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|$PROVIDER_PORT|g" bench/nginx.conf.template > "$WORK/nginx.conf"
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")

GATEWAY_DIR=$ROOT/src/ByokPortal.Gateway/bin/Release/net10.0
ASPNETCORE_ENVIRONMENT=Production \
Portal__DataDirectory="$WORK/data" \
Portal__Outbound__AllowLoopback=true \
Portal__Runtime__DefaultRateLimitPerMinute=2000000000 \
Logging__LogLevel__Default=Warning \
  "$GATEWAY_DIR/ByokPortal.Gateway" --contentRoot "$GATEWAY_DIR" --urls "http://127.0.0.1:$GATEWAY_PORT" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")

FORWARDER_DIR=$ROOT/bench/Forwarder/bin/Release/net10.0
"$FORWARDER_DIR/Forwarder" --contentRoot "$FORWARDER_DIR" --urls "http://127.0.0.1:$FORWARDER_PORT" \
  --Upstream="http://127.0.0.1:$PROVIDER_PORT/v1/chat/completions" --ProviderKey="$PROVIDER_KEY" > "$WORK/forwarder.log" 2>&1 &
FORWARDER_PID=$!
PIDS+=("$FORWARDER_PID")

PORTKEY_PID=""
if [ -z "$PORTKEY_MISSING" ]; then
  node -r "$ROOT/bench/portkey-loopback.cjs" "$PORTKEY" --port="$PORTKEY_PORT" --headless > "$WORK/portkey.log" 2>&1 &
  PORTKEY_PID=$!
  PIDS+=("$PORTKEY_PID")
fi

CHAT_BODY="{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":16}"
RESOLVE_BODY="{\"model\":\"$MODEL\"}"
DIRECT_HEADERS="Authorization: Bearer $PROVIDER_KEY"
GATEWAY_HEADERS="Authorization: Bearer $TOKEN"
PORTKEY_HEADERS=$(printf 'Authorization: Bearer %s\nx-portkey-provider: openai\nx-portkey-custom-host: http://127.0.0.1:%s/v1' "$PROVIDER_KEY" "$PROVIDER_PORT")

# Waits until a POST answers 200 (the first answer of each server, checked so a misconfigured target never gets measured).
wait_ready() { # name url headers body
  local name=$1 url=$2 headers=$3 body=$4 args=() status=""
  while IFS= read -r line; do args+=(-H "$line"); done <<< "$headers"
  for _ in $(seq 1 120); do
    status=$(curl -s -o "$WORK/ready.out" -w '%{http_code}' "${args[@]}" -H 'Content-Type: application/json' -d "$body" "$url" || true)
    if [ "$status" = "200" ]; then return 0; fi
    sleep 0.5
  done
  log "$name did not answer 200 at $url (last: $status $(head -c 300 "$WORK/ready.out" 2>/dev/null))."
  return 1
}

wait_ready "The stand-in provider" "http://127.0.0.1:$PROVIDER_PORT/v1/chat/completions" "$DIRECT_HEADERS" "$CHAT_BODY" || exit 1
wait_ready "The bare forwarder" "http://127.0.0.1:$FORWARDER_PORT/v1/chat/completions" "$DIRECT_HEADERS" "$CHAT_BODY" || exit 1
wait_ready "ByokPortal's gateway" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" "$GATEWAY_HEADERS" "$CHAT_BODY" || { cat "$WORK/gateway.log" >&2; exit 1; }
if [ -n "$PORTKEY_PID" ] && ! wait_ready "Portkey's gateway" "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" "$PORTKEY_HEADERS" "$CHAT_BODY"; then
  PORTKEY_MISSING="not measured: it started but did not answer (see the log above)"
  log "Portkey's gateway: $PORTKEY_MISSING. Going on without the peer."
  kill "$PORTKEY_PID" 2>/dev/null || true
  PORTKEY_PID=""
fi

# --- Measuring ----------------------------------------------------------------------------------------------------------------------
# CPU ticks (user + system) of a process and its children (nginx's workers).
cpu_ticks() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    if [ -r "/proc/$pid/stat" ]; then
      total=$((total + $(sed -e 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
    fi
  done
  echo "$total"
}

# One wrk run; prints "rps p50_us p99_us requests non2xx socket_errors cpu_us_per_request".
run_wrk() { # threads connections seconds url headers body pid
  local before after line
  before=$(cpu_ticks "$7")
  line=$(BENCH_HEADERS="$5" BENCH_BODY="$6" wrk -t"$1" -c"$2" -d"$3"s --timeout 10s -s bench/request.lua "$4" | grep '^BENCH ' || true)
  sleep 1 # what the server does right after (the usage writer's last batch) belongs to these requests
  after=$(cpu_ticks "$7")
  [ -n "$line" ] || { log "wrk printed no result for $4"; exit 1; }
  echo "$line" | awk -v ticks=$((after - before)) -v hz="$TICKS" \
    '{ cpu = ($5 > 0) ? ticks / hz * 1000000 / $5 : 0; printf "%s %s %s %s %s %s %.0f\n", $2, $3, $4, $5, $6, $7, cpu }'
}

declare -A RESULT
measure() { # key label url headers body pid
  local key=$1 url=$3 headers=$4 body=$5 pid=$6
  log "  $2: warm-up ${WARMUP}s, then ${DURATION}s at 32 connections and ${DURATION}s at 1…"
  BENCH_HEADERS="$headers" BENCH_BODY="$body" wrk -t2 -c32 -d"${WARMUP}"s -s bench/request.lua "$url" >/dev/null
  RESULT[$key.many]=$(run_wrk 2 32 "$DURATION" "$url" "$headers" "$body" "$pid")
  RESULT[$key.one]=$(run_wrk 1 1 "$DURATION" "$url" "$headers" "$body" "$pid")
}

field() { echo "${RESULT[$1]}" | awk -v n="$2" '{print $n}'; }

source bench/report.sh

# A .NET server JIT-compiles its hot code again (tiered compilation) during its first tens of seconds under load, and the gateway's
# path (authentication, resolution, forwarding, the usage writer) is far larger than the bare forwarder's: measured after a few seconds, that compilation is most of
# its CPU. A long-running server is past it, so each .NET server gets load once, before the rounds, until it has settled.
if [ "$SETTLE" -gt 0 ]; then
  log "Letting the .NET servers settle (tiered compilation): ${SETTLE}s of load on the gateway, ${SETTLE}s on resolve, 10s on the forwarder…"
  BENCH_HEADERS="$GATEWAY_HEADERS" BENCH_BODY="$CHAT_BODY" wrk -t2 -c32 -d"${SETTLE}"s -s bench/request.lua "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >/dev/null
  BENCH_HEADERS="$GATEWAY_HEADERS" BENCH_BODY="$RESOLVE_BODY" wrk -t2 -c32 -d"${SETTLE}"s -s bench/request.lua "http://127.0.0.1:$GATEWAY_PORT/api/v1/resolve" >/dev/null
  BENCH_HEADERS="$DIRECT_HEADERS" BENCH_BODY="$CHAT_BODY" wrk -t2 -c32 -d10s -s bench/request.lua "http://127.0.0.1:$FORWARDER_PORT/v1/chat/completions" >/dev/null
fi

printf 'ByokPortal load test: wrk -t2 -c32 and -t1 -c1, %ss each after a %ss warm-up (servers settled for %ss first); model %s, API key %s…\n' "$DURATION" "$WARMUP" "$SETTLE" "$MODEL" "${TOKEN:0:11}"
for round in $(seq 1 "$ROUNDS"); do
  log "Round $round of $ROUNDS:"
  RESULT=()
  measure direct "provider, direct" "http://127.0.0.1:$PROVIDER_PORT/v1/chat/completions" "$DIRECT_HEADERS" "$CHAT_BODY" "$NGINX_PID"
  # Forwarder, gateway, gateway, forwarder (then each one's mean): a machine that speeds up or slows down during the round weighs on both.
  measure_forwarder() { measure "forwarder$1" "bare forwarder" "http://127.0.0.1:$FORWARDER_PORT/v1/chat/completions" "$DIRECT_HEADERS" "$CHAT_BODY" "$FORWARDER_PID"; }
  measure_gateway() { measure "gateway$1" "ByokPortal gateway" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" "$GATEWAY_HEADERS" "$CHAT_BODY" "$GATEWAY_PID"; }
  measure_forwarder ""; measure_gateway ""; measure_gateway .b; measure_forwarder .b
  combine forwarder
  combine gateway
  if [ -n "$PORTKEY_PID" ]; then
    measure portkey "Portkey gateway" "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" "$PORTKEY_HEADERS" "$CHAT_BODY" "$PORTKEY_PID"
  fi
  measure resolve "ByokPortal resolve" "http://127.0.0.1:$GATEWAY_PORT/api/v1/resolve" "$GATEWAY_HEADERS" "$RESOLVE_BODY" "$GATEWAY_PID"
  report "$round"
done

if [ "$ROUNDS" -gt 1 ]; then summary; fi

if grep -q 'usage queue is full' "$WORK/gateway.log"; then
  printf '\nThe gateway dropped usage records (its queue was full): see its log.\n'
fi
