#!/usr/bin/env bash
# `npm run test:collector-interop`: proves Tracelake's kafka exporter and receiver are wire-compatible with the
# OpenTelemetry Collector's (contrib kafkaexporter / kafkareceiver), in both directions, against the real
# Kafka broker of `npm run services:up`.
#
# OPT-IN SUITE: too heavy for every CI run (a cold run builds a Go program, the Collector, with the OpenTelemetry
# Collector Builder from the Go module proxy: ~2 minutes on 2 cores). It is not part of `npm test` or .ci/run.
# It FAILS (never skips) when anything it needs is missing: Go, the Go module proxy, the broker, or Tracelake's
# kafka components.
#
# Steps: build (or reuse) the Collector described by otelcol-builder.yaml, cached under
# ~/.cache/tracelake-otelcol/<hash of that file>/ (outside the repo, never committed); start the services
# (idempotent); run collector-interop.ts, which prints one line per check and `N passed, M failed`.
# Options are passed on to it, e.g. `npm run test:collector-interop -- --only c2t`.
# Environment: TRACELAKE_TEST_KAFKA_BROKERS (default 127.0.0.1:9092); TRACELAKE_OTELCOL_CACHE (default
# ~/.cache/tracelake-otelcol); TRACELAKE_INTEROP_RUN_DIR (default a new temp folder) keeps configs and logs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MANIFEST="$HERE/otelcol-builder.yaml"
BUILDER_VERSION=v0.165.0   # the collector release every module in the manifest is at (contrib v0.165.1)
CACHE=${TRACELAKE_OTELCOL_CACHE:-$HOME/.cache/tracelake-otelcol}
NODE="$ROOT/node_modules/.bin/node"

say() { printf '[collector-interop] %s\n' "$*"; }
die() { printf '[collector-interop] FAIL: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (needed to build the OpenTelemetry Collector)"
[[ -x $NODE ]] || die "$NODE is missing: run \`npm ci\` first"

# Other people run tests on this machine: Go builds run at the lowest priority.
go_env() { nice -n 19 env GOFLAGS="-mod=mod -buildvcs=false" "$@"; }

builder="$CACHE/bin/builder-$BUILDER_VERSION"
if [[ ! -x $builder ]]; then
  say "installing the collector builder $BUILDER_VERSION"
  mkdir -p "$CACHE/bin"
  tmp=$(mktemp -d "$CACHE/bin/.install.XXXXXX")
  go_env GOBIN="$tmp" go install "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION" \
    || die "could not install go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION from the Go module proxy"
  mv "$tmp/builder" "$builder"
  rmdir "$tmp"
fi

hash=$(sha256sum "$MANIFEST" | cut -c1-16)
build_dir="$CACHE/$hash"
otelcol="$build_dir/otelcol-src/otelcol-tracelake-interop"
if [[ -x $otelcol ]]; then
  say "Collector cached: $otelcol"
else
  say "building the Collector ($MANIFEST → $build_dir); a cold build takes about 2 minutes"
  rm -rf "$build_dir"
  mkdir -p "$build_dir"
  cp "$MANIFEST" "$build_dir/otelcol-builder.yaml"
  started=$SECONDS
  # output_path in the manifest is relative: the builder runs inside the cache folder.
  if ! (cd "$build_dir" && go_env "$builder" --config otelcol-builder.yaml) >"$build_dir/build.log" 2>&1; then
    tail -n 40 "$build_dir/build.log" >&2
    mv "$build_dir" "$build_dir.failed.$(date +%s)"
    die "the Collector build failed (log above)"
  fi
  say "Collector built in $((SECONDS - started)) s"
fi
"$otelcol" --version >/dev/null || die "$otelcol does not run"

say "services: npm run services:up"
(cd "$ROOT" && npm run --silent services:up) || die "\`npm run services:up\` failed"

run_dir=${TRACELAKE_INTEROP_RUN_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/tracelake-interop.XXXXXX")}
cd "$ROOT"
exec "$NODE" test/interop/collector-interop.ts --otelcol "$otelcol" --run-dir "$run_dir" "$@"
