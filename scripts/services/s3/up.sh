#!/usr/bin/env bash
# Starts the development S3-compatible server (S3Proxy over local files) at http://127.0.0.1:9000 and makes
# sure the bucket `tracelake` exists. Leaves a server it started before alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE="$ROOT/scripts/services/s3"
DIR="$SERVICES_DIR/s3"
MAIN=org.gaul.s3proxy.Main
PORT=9000
READY_TIMEOUT_MS=60000

require_node
mkdir -p "$DIR"

wait_ready() {
  if ! "$NODE" "$HERE/ensure-bucket.ts" "http://127.0.0.1:$PORT" "$READY_TIMEOUT_MS" "$1"; then
    log_tail "$DIR/s3proxy.log"
    die "the S3 server did not become ready (log: $DIR/s3proxy.log)"
  fi
}

if pid=$(running_pid s3 "$MAIN"); then
  wait_ready "$pid"
  require_listener s3 "$pid" "$PORT"
  say "s3 already running (pid $pid) at http://127.0.0.1:$PORT"
  exit 0
fi
require_free_port s3 "$PORT"

fetch_libs "$HERE/pom.xml" "$DIR/libs"
jars=("$DIR"/libs/s3proxy-*-jar-with-dependencies.jar)
[[ ${#jars[@]} == 1 && -f ${jars[0]} ]] || die "expected one S3Proxy jar in $DIR/libs"
mkdir -p "$DIR/data"
sed "s|@DATA_DIR@|$DIR/data|" "$HERE/s3proxy.conf" >"$DIR/s3proxy.conf"

[[ -f $DIR/s3proxy.log ]] && mv "$DIR/s3proxy.log" "$DIR/s3proxy.log.1"
cd "$DIR"
start_detached "$DIR/pid" "$DIR/s3proxy.log" \
  java -Xmx256m -XX:+UseG1GC -Djava.awt.headless=true -XX:+ExitOnOutOfMemoryError \
  -cp "${jars[0]}" "$MAIN" --properties "$DIR/s3proxy.conf"
pid=$(<"$DIR/pid")
wait_ready "$pid"
require_listener s3 "$pid" "$PORT"
say "s3 started (pid $pid) at http://127.0.0.1:$PORT, bucket tracelake, log $DIR/s3proxy.log"
