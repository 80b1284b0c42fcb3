# Shared by the service scripts (sourced, not run): paths, PID files, ports and the Maven fetch.
# Every service lives in .services/<name>/ (libs, data, log, pid) and is stopped only by its recorded PID.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERVICES_DIR="$ROOT/.services"
# The repository's own Node (npm ci installs it): the helper scripts are TypeScript run by type stripping.
NODE="$ROOT/node_modules/.bin/node"

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

require_node() {
  [[ -x $NODE ]] || die "$NODE is missing: run \`npm ci\` first"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# True when process $1 exists and is not a zombie (a dead, unreaped child still answers kill -0).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ ${stat##*) } != Z* ]]
}

# Prints the PID recorded for service $1 when that process is alive and its command line still names main
# class $2 and this checkout's .services/$1/: after a reboot the number may belong to someone else (another
# checkout's server included), who must never get our signals.
running_pid() {
  local file="$SERVICES_DIR/$1/pid" pid cmd
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  [[ $cmd == *"$2"* && $cmd == *"$SERVICES_DIR/$1/"* ]] || return 1
  echo "$pid"
}

# Fails unless port $2 is free: called only when service $1 is not running, so a listener is someone else's.
require_free_port() {
  if port_open "$2"; then
    die "port $2 is taken by another process (not started by \`npm run services:up\`), so $1 cannot start; \
see \`ss -ltnp 'sport = :$2'\`"
  fi
}

# Run once a service answers: the answer must come from process $2 itself, not from a server that another
# checkout started on the same port in the meantime (our process then fails to bind and exits).
require_listener() {
  local name=$1 pid=$2 port=$3
  command -v ss >/dev/null || return 0 # without iproute2, trust the readiness check
  ss -Hltnp "sport = :$port" | grep -qF "pid=$pid," && return 0
  stop_pid "$name" "$pid" 10
  rm -f "$SERVICES_DIR/$name/pid"
  die "port $port is served by another process, not by the $name just started (pid $pid): \
see \`ss -ltnp 'sport = :$port'\`"
}

# Copies the runtime classpath of pom $1 into folder $2 with Maven (artifacts cached in ~/.m2). Skipped when
# $2 was made from this very pom, so a warm start never runs Maven at all.
fetch_libs() {
  local pom=$1 libs=$2 sum
  sum=$(sha256sum "$pom" | cut -d' ' -f1)
  [[ -f $libs/.pom.sha256 && $(<"$libs/.pom.sha256") == "$sum" ]] && return 0
  say "fetching $(basename "$(dirname "$pom")") from Maven Central (cached in ~/.m2)"
  rm -rf "$libs.tmp"
  # Maven's output goes to a log (it is noise when all goes well) and is shown when it fails.
  if ! mvn -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs.tmp" \
    </dev/null >"$libs.maven.log" 2>&1; then
    log_tail "$libs.maven.log"
    die "Maven could not fetch the libraries of $pom (log: $libs.maven.log)"
  fi
  echo "$sum" >"$libs.tmp/.pom.sha256"
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
}

# Starts a command in a session of its own, so it outlives this script and a Ctrl-C in the calling shell, with
# stdout and stderr in $2. The PID written to $1 is the command's own: bash writes it and then execs into it.
start_detached() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" </dev/null >"$log" 2>&1 &
  for _ in $(seq 50); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "could not start $1"
}

# Stops process $2 of service $1: TERM, up to $3 seconds for a clean shutdown, then KILL.
stop_pid() {
  local name=$1 pid=$2 grace=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  say "$name (pid $pid) still running after ${grace}s: KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  die "$name (pid $pid) survived KILL"
}

# Prints the end of log $1, for a service that did not come up.
log_tail() {
  printf '[services] ---- last lines of %s ----\n' "$1" >&2
  tail -n "${2:-40}" "$1" >&2 || true
  printf '[services] ----\n' >&2
}
