#!/usr/bin/env bash
# down.sh — stop, in reverse order, only what up.sh started (pid files in
# $STATE). Engines, registries or servers started by anybody else are left
# running. Images, registry data and the base-image cache are kept.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_state_dir
take_lock

T0=$(now_ms)
rc=0
# Keep going on errors so one failure does not leave the rest running.
bash "$E2E_SCRIPTS/pyindex.sh" down || rc=1
bash "$E2E_SCRIPTS/registry.sh" down || rc=1
bash "$E2E_SCRIPTS/engine.sh" down || rc=1
rm -f "$E2E_STATE/env"
log "down in $(fmt_ms $(($(now_ms) - T0)))"
exit $rc
