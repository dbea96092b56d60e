#!/usr/bin/env bash
# smoke.sh — check that what up.sh started really works end to end:
#   1. the base image runs python3 and pip
#   2. `docker build --network host` FROM the base image runs apt-get install
#      and pip install from the local index; the console script prints JSON
#   3. push to 127.0.0.1:5000 (no auth) and 127.0.0.1:5001 (login with a
#      throw-away DOCKER_CONFIG), digests read back over the registry API
# Removes the images/tags it created (never anything else). Run after up.sh.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -f "$E2E_STATE/env" ]] || die "$E2E_STATE/env not found: run up.sh first"
# shellcheck source=/dev/null
source "$E2E_STATE/env"
# shellcheck disable=SC2153  # STOWAGE_E2E_DOCKER comes from the env file
D="$STOWAGE_E2E_DOCKER"

WORK="$(mktemp -d)"
IMG="stowage-e2e/smoke:$$"
REPO="stowage-e2e/smoke"
TAG="t$$"
cleanup() {
  "$D" rmi -f "$IMG" "$STOWAGE_E2E_REGISTRY/$REPO:$TAG" "$STOWAGE_E2E_AUTH_REGISTRY/$REPO:$TAG" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

timed() { # NAME CMD...
  local name=$1 t0; shift
  t0=$(now_ms)
  "$@"
  log "smoke: $name ok ($(fmt_ms $(($(now_ms) - t0))))"
}

check_base() {
  "$D" run --rm "$STOWAGE_E2E_BASE_IMAGE" sh -c 'python3 -c "import sys; print(sys.version)" && pip --version' >&2
}

build() {
  cat >"$WORK/Dockerfile" <<EOF
FROM $STOWAGE_E2E_BASE_IMAGE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir --index-url $STOWAGE_E2E_PYINDEX stowage-demo-cli
CMD ["stowage-demo"]
EOF
  # --network host: RUN steps must reach the 127.0.0.1 index.
  # --force-rm: the legacy builder leaves failed build containers behind otherwise.
  "$D" build -q --network host --force-rm --label stowage-e2e=1 -t "$IMG" "$WORK" >"$WORK/build.log" 2>&1 ||
    { cat "$WORK/build.log" >&2; die "docker build failed"; }
}

run_cli() {
  local out
  out="$("$D" run --rm "$IMG")"
  printf '%s\n' "$out" >&2
  printf '%s' "$out" | "$E2E_PYTHON" -I -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["app"] == "stowage-demo" and d["versions"]["core"] == "1.1.0", d'
  "$D" run --rm "$IMG" curl --version >/dev/null
}

push_plain() {
  "$D" tag "$IMG" "$STOWAGE_E2E_REGISTRY/$REPO:$TAG"
  "$D" push -q "$STOWAGE_E2E_REGISTRY/$REPO:$TAG" >"$WORK/push1.log" 2>&1 || { cat "$WORK/push1.log" >&2; die "push to $STOWAGE_E2E_REGISTRY failed"; }
}

push_auth() {
  local cfg="$WORK/docker-config"
  mkdir -p "$cfg"
  "$D" tag "$IMG" "$STOWAGE_E2E_AUTH_REGISTRY/$REPO:$TAG"
  printf '%s' "$STOWAGE_E2E_REGISTRY_PASSWORD" |
    DOCKER_CONFIG="$cfg" "$D" login "$STOWAGE_E2E_AUTH_REGISTRY" -u "$STOWAGE_E2E_REGISTRY_USER" --password-stdin >/dev/null 2>&1 ||
    die "docker login $STOWAGE_E2E_AUTH_REGISTRY failed"
  DOCKER_CONFIG="$cfg" "$D" push -q "$STOWAGE_E2E_AUTH_REGISTRY/$REPO:$TAG" >"$WORK/push2.log" 2>&1 || { cat "$WORK/push2.log" >&2; die "push to $STOWAGE_E2E_AUTH_REGISTRY failed"; }
  DOCKER_CONFIG="$cfg" "$D" logout "$STOWAGE_E2E_AUTH_REGISTRY" >/dev/null 2>&1 || true
}

digests() {
  local accept='application/vnd.docker.distribution.manifest.v2+json' d1 d2
  d1="$(curl -sfI --noproxy '*' -H "Accept: $accept" "http://$STOWAGE_E2E_REGISTRY/v2/$REPO/manifests/$TAG" | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')"
  d2="$(curl -sfI --noproxy '*' -u "$STOWAGE_E2E_REGISTRY_USER:$STOWAGE_E2E_REGISTRY_PASSWORD" -H "Accept: $accept" "http://$STOWAGE_E2E_AUTH_REGISTRY/v2/$REPO/manifests/$TAG" | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')"
  [[ -n "$d1" && "$d1" == "$d2" ]] || die "digest mismatch or missing: :5000=$d1 :5001=$d2"
  log "smoke: both registries serve $REPO:$TAG as $d1"
}

T0=$(now_ms)
timed "base image runs python3 + pip" check_base
timed "docker build (apt-get + pip from local index)" build
timed "stowage-demo prints JSON" run_cli
timed "push $STOWAGE_E2E_REGISTRY" push_plain
timed "login + push $STOWAGE_E2E_AUTH_REGISTRY" push_auth
if command -v curl >/dev/null 2>&1; then timed "digest read-back" digests; fi
log "smoke: all ok in $(fmt_ms $(($(now_ms) - T0)))"
