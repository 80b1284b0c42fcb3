#!/usr/bin/env bash
# `npm run demo`: the whole flow on one machine. Fetches the OpenTelemetry Java agent (Maven Central, cached
# in .services/java-agent/), compiles the Java services, starts Tracelake, then five services:
#
#   checkout (Java, agent, OTLP http/protobuf :4318) ─┬─▶ pricing   (Java, agent, OTLP gRPC :4317)
#                                                     ├─▶ inventory (Java, agent, OTLP gRPC)   unknown SKU → 500
#                                                     └─▶ shipping  (Node SDK, gRPC) ─▶ notification (Node SDK, gRPC)
#
# sends a few checkouts and one that fails, waits until their traces are queryable, prints them with their
# links, and stops exactly the processes it started (by PID), services first so they flush their spans.
#
#   examples/java-agent/demo.sh [--cluster] [--keep]
#
#   --cluster  against examples/cluster/run.sh (gateway → Kafka → ingesters → S3 → query-frontend) instead
#              of one embedded Tracelake; starts Kafka and S3 (`npm run services:up`) when they are not
#              running, and stops again only those it started.
#   --keep     leave everything running after the traces are printed, until Ctrl-C.
#
# Output lines for scripts: `started <name> pid <pid>`, `trace <id> checkout ok|error services=…`,
# `search <url>`, `stopped <name> pid <pid>`.
# Environment: BASE_PORT (3200: the Tempo API; run.sh's other roles take base+1 … base+20, its gateway
# health and metrics base+31 and base+32 here), OTLP_GRPC_PORT (4317), OTLP_HTTP_PORT (4318), SERVICES_PORT
# (8080: checkout; pricing, inventory, shipping, notification the next four), DEMO_REQUESTS (3 good checkouts),
# DEMO_DATA (logs, and the embedded Tracelake's blocks; a temporary folder, removed after a run that worked).
set -euo pipefail
set -m # every child in its own process group: Ctrl-C reaches this script only, which then stops each once

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/services/lib.sh

CLUSTER=false
KEEP=false
for arg in "$@"; do
  case $arg in
    --cluster) CLUSTER=true ;;
    --keep) KEEP=true ;;
    *) die "unknown option $arg (try --cluster, --keep)" ;;
  esac
done

BASE_PORT=${BASE_PORT:-3200}
OTLP_GRPC_PORT=${OTLP_GRPC_PORT:-4317}
OTLP_HTTP_PORT=${OTLP_HTTP_PORT:-4318}
SERVICES_PORT=${SERVICES_PORT:-8080}
REQUESTS=${DEMO_REQUESTS:-3}
API=http://127.0.0.1:$BASE_PORT
HERE=$ROOT/examples/java-agent
CACHE=$SERVICES_DIR/java-agent
declare -A PORT_OF=([checkout]=$SERVICES_PORT [pricing]=$((SERVICES_PORT + 1)) [inventory]=$((SERVICES_PORT + 2))
  [shipping]=$((SERVICES_PORT + 3)) [notification]=$((SERVICES_PORT + 4)))

require_node
for tool in java javac curl; do command -v "$tool" >/dev/null || die "$tool is needed (a JDK 17 or newer, and curl)"; done
# Before anything starts: a port already taken would make one of them fail half-way.
CLUSTER_PORTS=() # run.sh's roles, and the gateway's health and metrics (set in start_tracelake)
$CLUSTER && CLUSTER_PORTS=($((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 10)) $((BASE_PORT + 20)) $((BASE_PORT + 31)) $((BASE_PORT + 32)))
for port in "$OTLP_GRPC_PORT" "$OTLP_HTTP_PORT" "$BASE_PORT" "${CLUSTER_PORTS[@]}" "${PORT_OF[@]}"; do
  port_open "$port" && die "port $port is in use: stop what listens there, or move the demo (BASE_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, SERVICES_PORT)"
done
if [[ -n ${DEMO_DATA:-} ]]; then
  DATA=$DEMO_DATA
  mkdir -p "$DATA"
else
  DATA=$(mktemp -d "${TMPDIR:-/tmp}/tracelake-demo.XXXXXX")
fi

PIDS=()      # in start order; stopped in reverse
PNAMES=()
STARTED_SERVICES=() # kafka / s3 started here for --cluster
OK=false

stop_all() {
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    if kill -TERM "$pid" 2>/dev/null; then
      # run.sh stops its roles one after the other (up to 30 s each): give it the time, or they are orphaned.
      for _ in $(seq 1 $([[ ${PNAMES[i]} == cluster ]] && echo 1800 || echo 300)); do alive "$pid" || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    echo "stopped ${PNAMES[i]} pid $pid"
  done
  PIDS=()
  if [[ ${#STARTED_SERVICES[@]} -gt 0 ]]; then bash scripts/services/down.sh "${STARTED_SERVICES[@]}"; fi
  STARTED_SERVICES=()
  if $OK && [[ -z ${DEMO_DATA:-} ]]; then rm -rf "$DATA"; else echo "logs in $DATA"; fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start <name> <command…>: runs it in the background, output in $DATA/<name>.log.
start() {
  local name=$1
  shift
  "$@" </dev/null >"$DATA/$name.log" 2>&1 &
  PIDS+=("$!")
  PNAMES+=("$name")
  echo "started $name pid $!"
}

# until_ready <name> <pid> <what> <test command…>: polls the test for up to 90 s; fails when the process died.
until_ready() {
  local name=$1 pid=$2 what=$3 i
  shift 3
  for ((i = 0; i < 900; i++)); do
    "$@" && return 0
    alive "$pid" || { log_tail "$DATA/$name.log" 20; die "$name exited before $what"; }
    sleep 0.1
  done
  log_tail "$DATA/$name.log" 20
  die "$name: no $what within 90 s (log: $DATA/$name.log)"
}

answers_200() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true) == 200 ]]; }

# The agent jar (Maven, cached) and the services' classes (javac, redone when a source changes).
prepare_java() {
  mkdir -p "$CACHE"
  fetch_libs "$HERE/pom.xml" "$CACHE/libs"
  AGENT=$(echo "$CACHE"/libs/opentelemetry-javaagent-*.jar)
  [[ -f $AGENT ]] || die "expected the agent jar in $CACHE/libs"
  local sum
  sum=$(cat "$HERE"/*.java | sha256sum | cut -d' ' -f1)
  if [[ ! -f $CACHE/classes/.sources.sha256 || $(<"$CACHE/classes/.sources.sha256") != "$sum" ]]; then
    rm -rf "$CACHE/classes"
    javac -d "$CACHE/classes" "$HERE"/*.java
    echo "$sum" >"$CACHE/classes/.sources.sha256"
  fi
}

start_tracelake() {
  if ! $CLUSTER; then
    start tracelake env DEMO_DATA="$DATA" BASE_PORT="$BASE_PORT" OTLP_GRPC_PORT="$OTLP_GRPC_PORT" \
      OTLP_HTTP_PORT="$OTLP_HTTP_PORT" "$NODE" bin/tracelake.ts --config examples/java-agent/tracelake.yaml
    until_ready tracelake "${PIDS[-1]}" "$API/ready" answers_200 "$API/ready"
    return
  fi
  running_pid kafka kafka.Kafka >/dev/null || STARTED_SERVICES+=(kafka)
  running_pid s3 org.gaul.s3proxy.Main >/dev/null || STARTED_SERVICES+=(s3)
  if [[ ${#STARTED_SERVICES[@]} -gt 0 ]]; then bash scripts/services/up.sh; fi
  local health=127.0.0.1:$((BASE_PORT + 31))
  start cluster env BASE_PORT="$BASE_PORT" CLUSTER_DATA="$DATA/cluster" \
    GATEWAY_OTLP_GRPC="127.0.0.1:$OTLP_GRPC_PORT" GATEWAY_OTLP_HTTP="127.0.0.1:$OTLP_HTTP_PORT" \
    GATEWAY_HEALTH="$health" GATEWAY_METRICS="127.0.0.1:$((BASE_PORT + 32))" bash examples/cluster/run.sh
  until_ready cluster "${PIDS[-1]}" "every role ready" grep -q 'Ctrl-C stops all of them' "$DATA/cluster.log"
}

# java_service <name> <main class> <OTLP protocol> <OTLP port> [VAR=value…]: a service under the agent.
java_service() {
  local name=$1 main=$2 protocol=$3 port=$4
  shift 4
  start "$name" env PORT="${PORT_OF[$name]}" OTEL_SERVICE_NAME="$name" OTEL_EXPORTER_OTLP_PROTOCOL="$protocol" \
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none \
    OTEL_BSP_SCHEDULE_DELAY=200 OTEL_JAVAAGENT_LOGGING=simple "$@" \
    java -Xmx128m -XX:TieredStopAtLevel=1 -javaagent:"$AGENT" -cp "$CACHE/classes" "$main"
}

node_service() {
  local name=$1
  shift
  start "$name" env PORT="${PORT_OF[$name]}" OTEL_SERVICE_NAME="$name" OTEL_BSP_SCHEDULE_DELAY=200 \
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_GRPC_PORT" "$@" "$NODE" "examples/node-app/$name.ts"
}

start_services() {
  local url=http://127.0.0.1 name i
  node_service notification
  node_service shipping NOTIFICATION_URL="$url:${PORT_OF[notification]}"
  java_service pricing Pricing grpc "$OTLP_GRPC_PORT"
  java_service inventory Inventory grpc "$OTLP_GRPC_PORT"
  java_service checkout Checkout http/protobuf "$OTLP_HTTP_PORT" PRICING_URL="$url:${PORT_OF[pricing]}" \
    INVENTORY_URL="$url:${PORT_OF[inventory]}" SHIPPING_URL="$url:${PORT_OF[shipping]}"
  # Readiness = the port listens (no request, so no trace before the demo's own).
  for ((i = ${#PIDS[@]} - 5; i < ${#PIDS[@]}; i++)); do
    name=${PNAMES[i]}
    until_ready "$name" "${PIDS[i]}" "a listener on port ${PORT_OF[$name]}" port_open "${PORT_OF[$name]}"
  done
}

# checkout <expected status> <query>: one request, as user agent tracelake-demo/<run> (find-traces.ts looks for it).
checkout() {
  local want=$1 query=$2 got
  got=$(curl -s -o "$DATA/response.json" -w '%{http_code}' --max-time 20 -A "tracelake-demo/$RUN" \
    "http://127.0.0.1:${PORT_OF[checkout]}/checkout?$query" || true)
  echo "request GET /checkout?$query -> $got $(head -c 300 "$DATA/response.json" 2>/dev/null)"
  [[ $got == "$want" ]] || die "expected $want from /checkout?$query, got $got (logs in $DATA)"
}

prepare_java
RUN=$(date +%s)-$$
SINCE=$(date +%s)
start_tracelake
start_services

echo
for ((i = 1; i <= REQUESTS; i++)); do checkout 200 "sku=sku-42&qty=$i"; done
checkout 502 "sku=sku-unknown&qty=1"
echo
echo "waiting for the traces (run $RUN) to be complete and searchable at $API"
"$NODE" "$HERE/find-traces.ts" --api "$API" --run "$RUN" --ok "$REQUESTS" --errors 1 --since "$SINCE" --timeout 90
OK=true

if ! $KEEP; then
  echo "(stopping everything; --keep leaves it running, to open these links or point Grafana at $API)"
  exit 0
fi
cat <<EOF

Still running (Ctrl-C stops everything):
  curl -s 'http://127.0.0.1:${PORT_OF[checkout]}/checkout?sku=sku-42&qty=2'      # another trace
  curl -s '$API/api/search?q=%7Bresource.service.name%3D%22checkout%22%7D'
  Grafana's Tempo data source URL: $API
  logs in $DATA
EOF
wait -n "${PIDS[@]}" || true
OK=false
die "a process exited on its own"
