#!/usr/bin/env bash
# Starts the clustered example on this machine: one gateway (gateway.yaml) and N ingesters (ingester.yaml,
# default 2) in one consumer group, over the Kafka broker of `npm run services:up`. Waits until each
# answers, prints the endpoints, and on Ctrl-C (or when one of them dies) stops exactly the processes it
# started, by PID: the gateway first, so it drains into Kafka, then the ingesters.
#
#   examples/cluster/run.sh [ingesters]
#
# Environment: KAFKA_BROKERS (127.0.0.1:9092), KAFKA_TOPIC (otlp_spans), CLUSTER_DATA (./data/cluster:
# logs and each ingester's WAL and blocks), GATEWAY_OTLP_GRPC / GATEWAY_OTLP_HTTP / GATEWAY_METRICS /
# GATEWAY_HEALTH (0.0.0.0:4317 / 0.0.0.0:4318 / 0.0.0.0:8888 / 0.0.0.0:13133), INGESTER_BASE_PORT (3200:
# ingester i answers on base+i-1).
set -euo pipefail
set -m   # every child in its own process group: Ctrl-C reaches this script only, which then stops each once

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
N=${1:-2}
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [number of ingesters, default 2]" >&2
  exit 2
fi
NODE=node_modules/.bin/node
[[ -x $NODE ]] || { echo "$NODE is missing: run \`npm ci\` first" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed to wait for the processes" >&2; exit 1; }

export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
DATA=${CLUSTER_DATA:-./data/cluster}
BASE_PORT=${INGESTER_BASE_PORT:-3200}
GATEWAY_HTTP=${GATEWAY_OTLP_HTTP:-0.0.0.0:4318}
GATEWAY_GRPC=${GATEWAY_OTLP_GRPC:-0.0.0.0:4317}
GATEWAY_METRICS_ADDR=${GATEWAY_METRICS:-0.0.0.0:8888}
GATEWAY_HEALTH_ADDR=${GATEWAY_HEALTH:-0.0.0.0:13133}
mkdir -p "$DATA"

broker_host=${KAFKA_BROKERS%%,*}
if ! timeout 2 bash -c "exec 3<>/dev/tcp/${broker_host%:*}/${broker_host##*:}" 2>/dev/null; then
  echo "no Kafka broker at $broker_host: run \`npm run services:up\` first (or set KAFKA_BROKERS)" >&2
  exit 1
fi

PIDS=()    # in start order: the gateway, then the ingesters
NAMES=()

stop_started() {
  local i pid
  for i in "${!PIDS[@]}"; do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    echo "stopping ${NAMES[i]} (pid $pid)"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start <name> <config> [VAR=value ...]: runs tracelake in the background, its output in $DATA/<name>.log.
start() {
  local name=$1 config=$2
  shift 2
  env "$@" "$NODE" bin/tracelake.ts --config "$config" >"$DATA/$name.log" 2>&1 &
  PIDS+=("$!")
  NAMES+=("$name")
}

# wait_for <name> <pid> <url> <expected status>: until the URL answers that status; fails if the process dies.
wait_for() {
  local name=$1 pid=$2 url=$3 want=$4 got
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited; the end of $DATA/$name.log:" >&2; tail -n 20 "$DATA/$name.log" >&2; exit 1; }
    got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
    [[ $got == "$want" ]] && return 0
    sleep 0.1
  done
  echo "$name did not answer $want on $url within 60 s; see $DATA/$name.log" >&2
  exit 1
}

local_url() { echo "http://127.0.0.1:${1##*:}"; }

start gateway examples/cluster/gateway.yaml \
  GATEWAY_OTLP_GRPC="$GATEWAY_GRPC" GATEWAY_OTLP_HTTP="$GATEWAY_HTTP" GATEWAY_METRICS="$GATEWAY_METRICS_ADDR" \
  GATEWAY_HEALTH="$GATEWAY_HEALTH_ADDR"
for ((i = 1; i <= N; i++)); do
  start "ingester-$i" examples/cluster/ingester.yaml \
    INGESTER_API_PORT=$((BASE_PORT + i - 1)) INGESTER_DATA="$DATA/ingester-$i" INGESTER_CLIENT_ID="tracelake-ingester-$i"
done

wait_for gateway "${PIDS[0]}" "$(local_url "$GATEWAY_HEALTH_ADDR")/" 200
for ((i = 1; i <= N; i++)); do
  wait_for "ingester-$i" "${PIDS[i]}" "http://127.0.0.1:$((BASE_PORT + i - 1))/ready" 200
done

echo
echo "gateway     pid ${PIDS[0]}  OTLP/gRPC $(local_url "$GATEWAY_GRPC")  OTLP/HTTP $(local_url "$GATEWAY_HTTP")/v1/traces" \
  " metrics $(local_url "$GATEWAY_METRICS_ADDR")/metrics  log $DATA/gateway.log"
for ((i = 1; i <= N; i++)); do
  echo "ingester-$i  pid ${PIDS[i]}  Tempo API http://127.0.0.1:$((BASE_PORT + i - 1))  data $DATA/ingester-$i  log $DATA/ingester-$i.log"
done
cat <<EOF

Send a trace:   OTEL_EXPORTER_OTLP_ENDPOINT=$(local_url "$GATEWAY_GRPC") $NODE examples/node-app/app.ts --once
Find it (it lives on the ingester that owns its partition; the others answer 404):
  for port in $(seq -s ' ' "$BASE_PORT" $((BASE_PORT + N - 1))); do curl -s -o /dev/null -w "\$port %{http_code}\\n" http://127.0.0.1:\$port/api/v2/traces/<trace id>; done

Ctrl-C stops all of them.
EOF

# Until Ctrl-C, or until one of them exits on its own (then the rest are stopped too).
wait -n "${PIDS[@]}" || true
for i in "${!PIDS[@]}"; do
  if ! kill -0 "${PIDS[i]}" 2>/dev/null; then echo "${NAMES[i]} exited; the end of $DATA/${NAMES[i]}.log:" >&2; tail -n 20 "$DATA/${NAMES[i]}.log" >&2; fi
done
exit 1
