# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this
# Shared helpers for the Stowage e2e harness scripts. Sourced, never executed.
#
# Conventions:
#   - every progress line goes to stderr, prefixed "[e2e]";
#   - everything we start gets a pid file in $E2E_STATE; "down" only ever stops
#     processes named in our own pid files (and only if the pid still runs the
#     expected program), so services started by somebody else are never touched.

E2E_STATE="${STOWAGE_E2E_STATE:-/tmp/stowage-e2e}"
E2E_CACHE="${STOWAGE_E2E_CACHE:-${HOME:-/root}/.cache/stowage-e2e}"
E2E_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

E2E_REGISTRY_PORT="${STOWAGE_E2E_REGISTRY_PORT:-5000}"
E2E_AUTH_REGISTRY_PORT="${STOWAGE_E2E_AUTH_REGISTRY_PORT:-5001}"
E2E_REGISTRY_USER="${STOWAGE_E2E_REGISTRY_USER:-ciuser}"
E2E_REGISTRY_PASSWORD="${STOWAGE_E2E_REGISTRY_PASSWORD:-ci-pass-123}"
E2E_PYINDEX_PORT="${STOWAGE_E2E_PYINDEX_PORT:-18080}"
E2E_BASE_IMAGE="python:3.11-slim"
E2E_BASE_LOCAL_TAG="stowage-test/python:3.11"

# The docker.io 20.10 client (/usr/bin/docker) matches the daemon and has the
# built-in BuildKit; a newer client earlier in PATH may lack buildx.
# Debian's python (not a pyenv shim) for the index server and the wheel builder.
# Re-run after engine.sh has installed packages (up.sh does).
detect_tools() {
  if [[ -x /usr/bin/docker ]]; then E2E_DOCKER=/usr/bin/docker; else E2E_DOCKER=docker; fi
  if [[ -x /usr/bin/python3 ]]; then E2E_PYTHON=/usr/bin/python3; else E2E_PYTHON=python3; fi
}
detect_tools

log() { printf '[e2e] %s\n' "$*" >&2; }
die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }
is_debian() { [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; }

# Milliseconds since the epoch (for the timing lines).
now_ms() { date +%s%3N; }
fmt_ms() { local ms=$1; printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

ensure_state_dir() { mkdir -p "$E2E_STATE"; }

# Serialise concurrent harness runs (e.g. several test workers calling up.sh at
# once). up.sh/down.sh take the lock and export STOWAGE_E2E_LOCKED=1 so the
# per-service scripts they call do not try to take it again (flock is not
# re-entrant across processes). fd 9 is closed in every daemon we spawn, or the
# daemon would hold the lock forever.
take_lock() {
  [[ "${STOWAGE_E2E_LOCKED:-}" == 1 ]] && return 0
  ensure_state_dir
  exec 9>"$E2E_STATE/lock"
  if ! flock -w 900 9; then die "could not lock $E2E_STATE/lock within 900 s (another e2e run stuck?)"; fi
  export STOWAGE_E2E_LOCKED=1
}

# docker CLI wrapper (respects DOCKER_HOST, never reads stdin).
dkr() { "$E2E_DOCKER" "$@" </dev/null; }

engine_answers() { timeout 15 "$E2E_DOCKER" info --format '{{.ServerVersion}}' </dev/null >/dev/null 2>&1; }

# ---------------------------------------------------------------- processes

# proc_alive PID -> 0 if PID exists and is not a zombie. On the reference VM,
# PID 1 is not an init that reaps orphans promptly: a stopped daemon stays a
# zombie for ~2 s and `kill -0` still succeeds on it.
proc_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat=${stat##*) } # the field after "(comm)" is the state
  [[ "${stat:0:1}" != Z ]]
}

# pid_running PIDFILE EXPECTED_COMM_SUBSTRING -> 0 if the pid in PIDFILE is alive
# and its command line contains the expected program (guards against pid reuse).
pid_running() {
  local pidfile=$1 expect=$2 pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  proc_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$expect"
}

# spawn PIDFILE LOGFILE CMD... : start CMD detached in its own session
# (setsid), stdin from /dev/null, output appended to LOGFILE, and record its
# pid. The inner bash writes its own pid ($$) and then execs CMD, so the pid
# file names the daemon itself even when setsid has to fork.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016
  # Every inherited fd above 2 is closed before the exec: a daemon holding the
  # lock fd, or a pipe of whoever called us (a test runner waiting for its
  # child's output to close), would otherwise keep it open for its whole life.
  setsid bash -c '
    for fd in /proc/$$/fd/*; do
      fd=${fd##*/}
      if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    echo $$ >"$0"
    exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  local _
  # Up to 10 s on a wall-clock deadline: a loaded CI machine may be slow to fork.
  local deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do [[ -s "$pidfile" ]] && return 0; sleep 0.02; done
  die "could not start $1 (no pid file $pidfile); see $logfile"
}

# stop_pidfile NAME PIDFILE EXPECT [TIMEOUT_S]: SIGTERM the process named in our
# pid file, wait, SIGKILL as a last resort, remove the pid file. No pid file ->
# not ours -> nothing to do.
stop_pidfile() {
  local name=$1 pidfile=$2 expect=$3 wait_s=${4:-10} pid i
  if [[ ! -f "$pidfile" ]]; then
    log "$name: not started by the e2e harness (no pid file), leaving it alone"
    return 0
  fi
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if ! pid_running "$pidfile" "$expect"; then
    log "$name: pid file $pidfile is stale (pid ${pid:-?} not running), removing it"
    rm -f "$pidfile"
    return 0
  fi
  log "$name: stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq $((wait_s * 20))); do
    proc_alive "$pid" || break
    sleep 0.05
  done
  if proc_alive "$pid"; then
    log "$name: pid $pid still running after ${wait_s}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}

# ---------------------------------------------------------------- HTTP

# http_status URL [USER:PASS] -> prints the HTTP status code, or 000 if nothing
# answers. Uses curl when available, else a raw HTTP/1.0 request over bash's
# /dev/tcp (fresh minimal Debian images ship without curl). Loopback only.
http_status() {
  local url=$1 cred=${2:-}
  if command -v curl >/dev/null 2>&1; then
    local args=(-s -o /dev/null -w '%{http_code}' --max-time 5 --noproxy '*')
    [[ -n "$cred" ]] && args+=(-u "$cred")
    curl "${args[@]}" "$url" 2>/dev/null || true
    return 0
  fi
  local rest hostport host port path line auth=""
  rest=${url#http://}; hostport=${rest%%/*}; path=/${rest#*/}
  [[ "$rest" == "$hostport" ]] && path=/
  host=${hostport%%:*}; port=${hostport##*:}; [[ "$port" == "$hostport" ]] && port=80
  [[ -n "$cred" ]] && auth="Authorization: Basic $(printf '%s' "$cred" | base64 -w0)"$'\r\n'
  # shellcheck disable=SC2016
  line="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n%s\r\n" "$2" "$0:$1" "$3" >&3
    head -n1 <&3' "$host" "$port" "$path" "$auth" 2>/dev/null || true)"
  if [[ "$line" =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]]; then echo "${BASH_REMATCH[1]}"; else echo 000; fi
}

# wait_http NAME URL WANT_CODE TIMEOUT_S PIDFILE EXPECT LOGFILE
wait_http() {
  local name=$1 url=$2 want=$3 timeout_s=$4 pidfile=$5 expect=$6 logfile=$7 _ code=000
  # A wall-clock deadline: each probe may itself take seconds (curl --max-time).
  local deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    code="$(http_status "$url")"
    [[ "$code" == "$want" ]] && return 0
    if ! pid_running "$pidfile" "$expect"; then
      tail -n 20 "$logfile" >&2 2>/dev/null || true
      die "$name exited during start-up (see $logfile)"
    fi
    sleep 0.05
  done
  tail -n 20 "$logfile" >&2 2>/dev/null || true
  die "$name did not answer $want on $url within ${timeout_s}s (last status $code; see $logfile)"
}

# shell-quote a value for the env file (single quotes, ' -> '\'')
shq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
