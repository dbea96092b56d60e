#!/usr/bin/env bash
# pyindex.sh up|down — a PEP 503 "simple" index of tiny demo wheels on
# http://127.0.0.1:${STOWAGE_E2E_PYINDEX_PORT:-18080}/simple (no PyPI needed).
#   up:   (re)generate $STATE/pyindex with make_wheels.py (byte-identical every
#         run) and serve it with `python3 -m http.server` unless it already runs.
#   down: stop the server only if our pid file exists.
# From a `docker build`, reach it with `--network host` (127.0.0.1 is the host's
# loopback only then); without it pip says "(from versions: none)".
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR="$E2E_STATE/pyindex"
PIDFILE="$E2E_STATE/pyindex.pid"
LOGFILE="$E2E_STATE/pyindex.log"
URL="http://127.0.0.1:$E2E_PYINDEX_PORT/simple/"
PROBE="http://127.0.0.1:$E2E_PYINDEX_PORT/simple/stowage-demo-cli/"

cmd_up() {
  ensure_state_dir
  take_lock
  command -v "$E2E_PYTHON" >/dev/null 2>&1 || die "python3 not found (needed to build the wheels and serve the index)"
  # env -i-ish: keep host PIP_* settings out; the script only needs the stdlib.
  "$E2E_PYTHON" -I "$E2E_SCRIPTS/make_wheels.py" "$DIR"

  local code
  code="$(http_status "$PROBE")"
  if [[ "$code" == 200 ]]; then
    if pid_running "$PIDFILE" http.server; then
      log "pyindex already up at $URL (ours, pid $(cat "$PIDFILE"))"
    else
      log "pyindex: something already serves the demo index at $URL (not started by us), leaving it"
    fi
    return 0
  elif [[ "$code" != 000 ]]; then
    die "127.0.0.1:$E2E_PYINDEX_PORT answers HTTP $code for $PROBE: the port is taken by something else; free it or set STOWAGE_E2E_PYINDEX_PORT"
  fi

  # -u: unbuffered access log. The server only binds loopback.
  spawn "$PIDFILE" "$LOGFILE" "$E2E_PYTHON" -u -m http.server --bind 127.0.0.1 "$E2E_PYINDEX_PORT" --directory "$DIR"
  wait_http pyindex "$PROBE" 200 15 "$PIDFILE" http.server "$LOGFILE"
  log "pyindex up at $URL (pid $(cat "$PIDFILE"), dir $DIR)"
}

cmd_down() {
  take_lock
  stop_pidfile pyindex "$PIDFILE" http.server 5
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  *) die "usage: $0 up|down" ;;
esac
