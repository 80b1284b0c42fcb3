#!/usr/bin/env bash
# Starts the clustered example on this machine over the Kafka broker and S3 server of `npm run services:up`:
# one gateway (gateway.yaml: OTLP in, Kafka out) and the backend roles of backend.yaml, each its own process:
# two ingesters (one consumer group), a querier, a query-frontend and a compactor. Waits until each answers,
# prints the endpoints, and on Ctrl-C (or when one of them dies) stops exactly the processes it started, by
# PID: the gateway first, so it drains into Kafka, then the ingesters (they write what they hold), the rest.
#
#   examples/cluster/run.sh
#
# Environment: KAFKA_BROKERS (127.0.0.1:9092), KAFKA_TOPIC (otlp_spans), S3_ENDPOINT (127.0.0.1:9000),
# S3_BUCKET (tracelake), S3_PREFIX (cluster), CLUSTER_DATA (./data/cluster: the logs), GATEWAY_OTLP_GRPC /
# GATEWAY_OTLP_HTTP / GATEWAY_METRICS / GATEWAY_HEALTH (0.0.0.0:4317 / 0.0.0.0:4318 / 0.0.0.0:8888 /
# 0.0.0.0:13133), BASE_PORT (3200: the query-frontend; ingesters base+1 and base+2, querier base+10,
# compactor base+20).
set -euo pipefail
set -m   # every child in its own process group: Ctrl-C reaches this script only, which then stops each once

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
NODE=node_modules/.bin/node
[[ -x $NODE ]] || { echo "$NODE is missing: run \`npm ci\` first" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed to wait for the processes" >&2; exit 1; }

export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
export S3_ENDPOINT=${S3_ENDPOINT:-127.0.0.1:9000}
DATA=${CLUSTER_DATA:-./data/cluster}
BASE_PORT=${BASE_PORT:-3200}
FRONTEND_PORT=$BASE_PORT
INGESTER_PORTS=($((BASE_PORT + 1)) $((BASE_PORT + 2)))
QUERIER_PORT=$((BASE_PORT + 10))
COMPACTOR_PORT=$((BASE_PORT + 20))
export INGESTER_1=127.0.0.1:${INGESTER_PORTS[0]} INGESTER_2=127.0.0.1:${INGESTER_PORTS[1]} QUERIER_1=127.0.0.1:$QUERIER_PORT
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
if ! curl -s -o /dev/null --max-time 2 "http://$S3_ENDPOINT/"; then
  echo "no S3 server at $S3_ENDPOINT: run \`npm run services:up\` first (or set S3_ENDPOINT)" >&2
  exit 1
fi

PIDS=()    # in start order, which is also the stop order
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

# start <name> <config> <target> [VAR=value ...]: runs tracelake in the background, its output in $DATA/<name>.log.
start() {
  local name=$1 config=$2 target=$3
  shift 3
  env "$@" "$NODE" bin/tracelake.ts --config "$config" --target "$target" >"$DATA/$name.log" 2>&1 &
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

port_of() {
  case $1 in
    ingester-1) echo "${INGESTER_PORTS[0]}" ;;
    ingester-2) echo "${INGESTER_PORTS[1]}" ;;
    querier) echo "$QUERIER_PORT" ;;
    query-frontend) echo "$FRONTEND_PORT" ;;
    compactor) echo "$COMPACTOR_PORT" ;;
  esac
}

start gateway examples/cluster/gateway.yaml distributor \
  GATEWAY_OTLP_GRPC="$GATEWAY_GRPC" GATEWAY_OTLP_HTTP="$GATEWAY_HTTP" GATEWAY_METRICS="$GATEWAY_METRICS_ADDR" \
  GATEWAY_HEALTH="$GATEWAY_HEALTH_ADDR"
for i in 1 2; do
  start "ingester-$i" examples/cluster/backend.yaml ingester TRACELAKE_API_PORT="${INGESTER_PORTS[i - 1]}" TRACELAKE_INSTANCE="ingester-$i"
done
start querier examples/cluster/backend.yaml querier TRACELAKE_API_PORT="$QUERIER_PORT" TRACELAKE_INSTANCE=querier
start query-frontend examples/cluster/backend.yaml query-frontend TRACELAKE_API_PORT="$FRONTEND_PORT" TRACELAKE_INSTANCE=query-frontend
start compactor examples/cluster/backend.yaml compactor TRACELAKE_API_PORT="$COMPACTOR_PORT" TRACELAKE_INSTANCE=compactor

wait_for gateway "${PIDS[0]}" "$(local_url "$GATEWAY_HEALTH_ADDR")/" 200
for i in 1 2 3 4 5; do
  wait_for "${NAMES[i]}" "${PIDS[i]}" "http://127.0.0.1:$(port_of "${NAMES[i]}")/ready" 200
done

echo
echo "gateway         pid ${PIDS[0]}  OTLP/gRPC $(local_url "$GATEWAY_GRPC")  OTLP/HTTP $(local_url "$GATEWAY_HTTP")/v1/traces" \
  " metrics $(local_url "$GATEWAY_METRICS_ADDR")/metrics  log $DATA/gateway.log"
for i in 1 2 3 4 5; do
  printf '%-15s pid %s  http://127.0.0.1:%s  log %s\n' "${NAMES[i]}" "${PIDS[i]}" "$(port_of "${NAMES[i]}")" "$DATA/${NAMES[i]}.log"
done
cat <<EOF

Blocks go to s3://${S3_BUCKET:-tracelake}/${S3_PREFIX:-cluster}/ at $S3_ENDPOINT.
Send a trace:   OTEL_EXPORTER_OTLP_ENDPOINT=$(local_url "$GATEWAY_GRPC") $NODE examples/node-app/app.ts --once
Find it:        curl -s http://127.0.0.1:$FRONTEND_PORT/api/v2/traces/<trace id>
Grafana's Tempo data source URL: http://127.0.0.1:$FRONTEND_PORT

Ctrl-C stops all of them.
EOF

# Until Ctrl-C, or until one of them exits on its own (then the rest are stopped too).
wait -n "${PIDS[@]}" || true
for i in "${!PIDS[@]}"; do
  if ! kill -0 "${PIDS[i]}" 2>/dev/null; then echo "${NAMES[i]} exited; the end of $DATA/${NAMES[i]}.log:" >&2; tail -n 20 "$DATA/${NAMES[i]}.log" >&2; fi
done
exit 1
