#!/usr/bin/env bash
# `npm run services:up`: the real services that Tracelake's integration tests and examples/cluster use,
# installed from Maven Central (pinned in the poms, cached), started in the background and waited for:
#   Kafka  127.0.0.1:9092 (KRaft controller on :9093)
#   S3     http://127.0.0.1:9000, bucket tracelake, access key tracelake, secret tracelake-secret
# State, data and logs live in .services/<name>/; `npm run services:down` stops them by recorded PID.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

started=$SECONDS
bash kafka/up.sh
bash s3/up.sh
echo "[services] up in $((SECONDS - started))s"
