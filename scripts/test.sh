#!/usr/bin/env bash
# `npm test`: the type check, then every test, against the real services the tests use (Kafka, the S3
# server). Services already running (`npm run services:up`) are used and left running; the others are
# started here and stopped again at the end, so the command works alike on a fresh machine and a dev box.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/services/lib.sh

started=()
running_pid kafka kafka.Kafka >/dev/null || started+=(kafka)
running_pid s3 org.gaul.s3proxy.Main >/dev/null || started+=(s3)
if [[ ${#started[@]} -gt 0 ]]; then
  trap 'bash scripts/services/down.sh "${started[@]}"' EXIT
  bash scripts/services/up.sh
fi

tsc -p .
mocha 'test/**/*.test.ts'
