#!/usr/bin/env bash
# up.sh — bring up everything the e2e tests need, in order:
#   engine (dockerd) -> registries (:5000, :5001 auth) -> base image -> pyindex
# then write $STATE/env (export lines) and print a summary. Idempotent: what
# already runs is left alone. Stop what we started with down.sh.
# --no-registry: skip the registries (the quickstart does not push).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_state_dir
take_lock # held for the whole run; the child scripts see STOWAGE_E2E_LOCKED=1

declare -a TIMINGS=()
step() { # NAME SCRIPT ARGS...
  local name=$1 t0 ms; shift
  t0=$(now_ms)
  bash "$E2E_SCRIPTS/$1" "${@:2}" || die "$name failed (exit $?; see the lines above; state dir $E2E_STATE)"
  ms=$(($(now_ms) - t0))
  TIMINGS+=("$name=$(fmt_ms "$ms")")
}

T0=$(now_ms)
with_registry=1
[[ "${1:-}" == --no-registry ]] && with_registry=0
step engine engine.sh up
detect_tools # /usr/bin/docker may have just been installed
((with_registry)) && step registry registry.sh up
step base-image base-image.sh
step pyindex pyindex.sh up

# shellcheck source=/dev/null
source "$E2E_STATE/base-image.env"

{
  echo "# written by tooling/e2e/scripts/up.sh — source it: . $E2E_STATE/env"
  echo "export STOWAGE_E2E_STATE=$(shq "$E2E_STATE")"
  echo "export STOWAGE_E2E_DOCKER=$(shq "$E2E_DOCKER")"
  [[ -n "${DOCKER_HOST:-}" ]] && echo "export DOCKER_HOST=$(shq "$DOCKER_HOST")"
  echo "export STOWAGE_E2E_REGISTRY=$(shq "127.0.0.1:$E2E_REGISTRY_PORT")"
  echo "export STOWAGE_E2E_AUTH_REGISTRY=$(shq "127.0.0.1:$E2E_AUTH_REGISTRY_PORT")"
  echo "export STOWAGE_E2E_REGISTRY_USER=$(shq "$E2E_REGISTRY_USER")"
  echo "export STOWAGE_E2E_REGISTRY_PASSWORD=$(shq "$E2E_REGISTRY_PASSWORD")"
  echo "export STOWAGE_E2E_PYINDEX=$(shq "http://127.0.0.1:$E2E_PYINDEX_PORT/simple")"
  echo "export STOWAGE_E2E_BASE_IMAGE=$(shq "$E2E_BASE_IMAGE")"
  echo "export STOWAGE_E2E_BASE_IMAGE_ID=$(shq "$BASE_IMAGE_ID")"
  echo "export STOWAGE_E2E_BASE_OFFLINE=$BASE_OFFLINE"
} >"$E2E_STATE/env.tmp"
mv "$E2E_STATE/env.tmp" "$E2E_STATE/env"

log "up in $(fmt_ms $(($(now_ms) - T0))) (${TIMINGS[*]})"
log "  docker         $E2E_DOCKER (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock})"
log "  registry       127.0.0.1:$E2E_REGISTRY_PORT (no auth)"
log "  auth registry  127.0.0.1:$E2E_AUTH_REGISTRY_PORT (user $E2E_REGISTRY_USER)"
log "  base image     $E2E_BASE_IMAGE ${BASE_IMAGE_ID:0:19} (offline=$BASE_OFFLINE, via $BASE_SOURCE)"
log "  python index   http://127.0.0.1:$E2E_PYINDEX_PORT/simple (docker build needs --network host)"
log "  env file       $E2E_STATE/env"
