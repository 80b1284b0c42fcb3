#!/usr/bin/env bash
# `npm run services:down [name…]`: stops what `npm run services:up` started (or only the named services:
# kafka, s3), by the PIDs it recorded, and nothing else. Data and logs stay in .services/ for the next start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# name, the main class its command line must contain, seconds to wait for a clean shutdown before KILL
stop_service() {
  local name=$1 main=$2 grace=$3 pid
  [[ ${#ONLY[@]} -eq 0 || " ${ONLY[*]} " == *" $name "* ]] || return 0
  if pid=$(running_pid "$name" "$main"); then
    say "stopping $name (pid $pid)"
    stop_pid "$name" "$pid" "$grace"
  elif [[ -f $SERVICES_DIR/$name/pid ]]; then
    say "$name was not running"
  fi
  rm -f "$SERVICES_DIR/$name/pid"
}

ONLY=("$@")

# Reverse order of start-up. Kafka flushes and closes its logs on TERM: give it time rather than KILL it.
stop_service s3 org.gaul.s3proxy.Main 10
stop_service kafka kafka.Kafka 30
