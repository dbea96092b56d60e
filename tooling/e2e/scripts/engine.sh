#!/usr/bin/env bash
# engine.sh up|down|status — make sure a Docker engine answers.
#
#   up:     engine already answers -> report it and do nothing else to it.
#           Otherwise (root on Debian) install docker.io if dockerd is missing
#           and start dockerd in the background; pid file dockerd.pid is written
#           only when WE start it. Also installs docker-registry, apache2-utils
#           (htpasswd) and debootstrap when missing (the other scripts need them).
#   down:   stop dockerd only if our pid file exists.
#   status: say whether an engine answers and whether we started it.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PIDFILE="$E2E_STATE/dockerd.pid"
LOGFILE="$E2E_STATE/dockerd.log"
DEFAULT_HOST="unix:///var/run/docker.sock"

# ---------------------------------------------------------------- packages

# Install what is missing, one package per missing tool. docker.io is only
# requested when dockerd itself is missing (a docker-ce install must not be
# replaced by, or conflict with, Debian's docker.io).
ensure_packages() {
  is_root && is_debian || return 0
  local pkgs=()
  command -v dockerd >/dev/null 2>&1 || pkgs+=(docker.io)
  command -v docker-registry >/dev/null 2>&1 || pkgs+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || pkgs+=(apache2-utils)
  command -v debootstrap >/dev/null 2>&1 || pkgs+=(debootstrap)
  [[ -e /usr/share/keyrings/debian-archive-keyring.gpg ]] || pkgs+=(debian-archive-keyring)
  command -v python3 >/dev/null 2>&1 || pkgs+=(python3) # the package index server
  ((${#pkgs[@]})) || return 0

  log "installing missing packages: ${pkgs[*]}"
  # Keep package postinsts from starting services (docker.service, and the
  # docker-registry service that would grab :5000 with Debian's default config).
  # Only if nobody has a policy-rc.d already; removed again right after.
  local own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, written by stowage e2e engine.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >"$E2E_STATE/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${pkgs[@]}" </dev/null >>"$E2E_STATE/apt.log" 2>&1
  } || rc=$?
  ((own_policy)) && rm -f /usr/sbin/policy-rc.d
  if ((rc)); then
    tail -n 20 "$E2E_STATE/apt.log" >&2 || true
    die "apt-get install ${pkgs[*]} failed (exit $rc); full log: $E2E_STATE/apt.log"
  fi
  log "installed: ${pkgs[*]}"
}

# ---------------------------------------------------------------- docker0

# Gotcha (reference §9.1): a second dockerd started with --bridge none deletes
# the first daemon's docker0, and every bridge-network container then fails
# with "could not find bridge docker0". Recreate the link from the daemon's own
# idea of the bridge network, without restarting dockerd.
# first_host 172.18.0.0/16 -> 172.18.0.1 (IPv4 only)
first_host() {
  local net=${1%/*} a b c d n
  IFS=. read -r a b c d <<<"$net"
  n=$(((a << 24 | b << 16 | c << 8 | d) + 1))
  echo "$((n >> 24 & 255)).$((n >> 16 & 255)).$((n >> 8 & 255)).$((n & 255))"
}

ensure_docker0() {
  is_root || return 0
  command -v ip >/dev/null 2>&1 || return 0
  # Only meaningful for a local daemon.
  [[ -z "${DOCKER_HOST:-}" || "${DOCKER_HOST}" == unix://* ]] || return 0
  local name subnet gateway prefix
  name="$(dkr network inspect bridge \
    --format '{{index .Options "com.docker.network.bridge.name"}}' 2>/dev/null || true)"
  [[ -n "$name" ]] || return 0 # bridge networking disabled on purpose
  ip link show "$name" >/dev/null 2>&1 && return 0
  subnet="$(dkr network inspect bridge --format '{{range .IPAM.Config}}{{.Subnet}}{{end}}' 2>/dev/null || true)"
  gateway="$(dkr network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null || true)"
  [[ -n "$subnet" ]] || subnet=172.17.0.0/16
  # The default bridge usually reports no Gateway; dockerd uses the first
  # address of the subnet (a daemon may pick 172.18.0.0/16 etc. if 172.17 is taken).
  [[ -n "$gateway" ]] || gateway="$(first_host "$subnet")"
  prefix=${subnet#*/}
  log "bridge $name is missing although dockerd runs: recreating it as $gateway/$prefix"
  ip link add "$name" type bridge || die "could not create bridge $name"
  ip addr add "$gateway/$prefix" brd + dev "$name" || die "could not add $gateway/$prefix to $name"
  ip link set "$name" up || die "could not bring $name up"
}

# ---------------------------------------------------------------- start

start_dockerd() {
  local host=${DOCKER_HOST:-$DEFAULT_HOST}
  [[ "$host" == unix://* ]] ||
    die "no Docker engine answers at DOCKER_HOST=$host and it is not a local unix socket; start that engine yourself"
  if ! is_root; then
    die "no Docker engine answers (${host}) and we are not root. Start one, e.g. 'sudo dockerd &' or 'sudo service docker start', or point DOCKER_HOST at a running engine"
  fi
  command -v dockerd >/dev/null 2>&1 ||
    die "dockerd is not installed (and this is not a Debian system we can apt-get install docker.io on)"

  if pid_running "$PIDFILE" dockerd; then
    log "dockerd we started earlier (pid $(cat "$PIDFILE")) is still starting; waiting for it"
  else
    # cgroup v1 hierarchies need to be mounted for dockerd; on odd hosts
    # cgroupfs-mount (Debian package) is the fallback.
    log "starting dockerd --host $host (log: $LOGFILE)"
    spawn "$PIDFILE" "$LOGFILE" dockerd --host "$host"
  fi

  local _
  local deadline=$((SECONDS + 30)) # wall clock: engine_answers itself may take seconds
  while ((SECONDS < deadline)); do
    engine_answers && break
    if ! pid_running "$PIDFILE" dockerd; then
      rm -f "$PIDFILE"
      tail -n 25 "$LOGFILE" >&2 || true
      die "dockerd exited during start-up (log: $LOGFILE). Is another dockerd already running (/var/run/docker.pid)? Are cgroups mounted (try the cgroupfs-mount package)?"
    fi
    sleep 0.1
  done
  if ! engine_answers; then
    tail -n 25 "$LOGFILE" >&2 || true
    die "dockerd (pid $(cat "$PIDFILE")) did not answer within 30 s (log: $LOGFILE)"
  fi
  log "dockerd is ready (pid $(cat "$PIDFILE"), started by the e2e harness)"
}

engine_desc() {
  local v
  v="$(timeout 15 "$E2E_DOCKER" version --format '{{.Server.Version}}' </dev/null 2>/dev/null || echo '?')"
  echo "server $v at ${DOCKER_HOST:-$DEFAULT_HOST} (client $E2E_DOCKER)"
}

cmd_up() {
  ensure_state_dir
  take_lock
  ensure_packages
  if engine_answers; then
    if pid_running "$PIDFILE" dockerd; then
      log "docker engine answers: $(engine_desc); started earlier by the e2e harness (pid $(cat "$PIDFILE"))"
    else
      rm -f "$PIDFILE" # stale pid file from a dockerd that is gone
      log "docker engine answers: $(engine_desc); not started by us, leaving it alone"
    fi
  else
    start_dockerd
  fi
  ensure_docker0
}

cmd_down() {
  take_lock
  # dockerd may need a while to stop its containers (10 s default grace).
  stop_pidfile dockerd "$PIDFILE" dockerd 30
}

cmd_status() {
  local rc=0
  if engine_answers; then
    echo "engine: answering, $(engine_desc)"
  else
    echo "engine: NOT answering at ${DOCKER_HOST:-$DEFAULT_HOST}"
    rc=1
  fi
  if pid_running "$PIDFILE" dockerd; then
    echo "started by e2e harness: yes (pid $(cat "$PIDFILE"), log $LOGFILE)"
  else
    echo "started by e2e harness: no"
  fi
  return $rc
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) die "usage: $0 up|down|status" ;;
esac
