#!/usr/bin/env bash
# Starts the development Kafka broker (KRaft combined mode) on 127.0.0.1:9092, controller on :9093, and waits
# until it answers a metadata request. Leaves a broker it started before alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE="$ROOT/scripts/services/kafka"
DIR="$SERVICES_DIR/kafka"
MAIN=kafka.Kafka
BROKER_PORT=9092
CONTROLLER_PORT=9093
# Fixed, so formatting needs no state of its own; any base64 UUID would do.
CLUSTER_ID=zUfraLYhStCVr7fyJAdg0w
READY_TIMEOUT_MS=60000

require_node
mkdir -p "$DIR"

wait_ready() {
  if ! "$NODE" "$HERE/wait-ready.ts" "127.0.0.1:$BROKER_PORT" "$READY_TIMEOUT_MS" "$1"; then
    log_tail "$DIR/kafka.log"
    die "Kafka did not become ready (log: $DIR/kafka.log)"
  fi
}

if pid=$(running_pid kafka "$MAIN"); then
  wait_ready "$pid"
  require_listener kafka "$pid" "$BROKER_PORT"
  say "kafka already running (pid $pid) at 127.0.0.1:$BROKER_PORT"
  exit 0
fi
require_free_port kafka "$BROKER_PORT"
require_free_port kafka "$CONTROLLER_PORT"

fetch_libs "$HERE/pom.xml" "$DIR/libs"
sed "s|@DATA_DIR@|$DIR/data|" "$HERE/server.properties" >"$DIR/server.properties"
if [[ ! -f $DIR/data/meta.properties ]]; then
  java -cp "$DIR/libs/*" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$DIR/server.properties" \
    --ignore-formatted >"$DIR/format.log" 2>&1 || { log_tail "$DIR/format.log"; die "formatting $DIR/data failed"; }
fi

[[ -f $DIR/kafka.log ]] && mv "$DIR/kafka.log" "$DIR/kafka.log.1"
cd "$DIR"
start_detached "$DIR/pid" "$DIR/kafka.log" \
  java -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true -XX:+ExitOnOutOfMemoryError \
  -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
  -cp "$DIR/libs/*" "$MAIN" "$DIR/server.properties"
pid=$(<"$DIR/pid")
wait_ready "$pid"
require_listener kafka "$pid" "$BROKER_PORT"
say "kafka started (pid $pid) at 127.0.0.1:$BROKER_PORT, log $DIR/kafka.log"
