#!/usr/bin/env bash
# base-image.sh — make sure a local image tagged python:3.11-slim exists with
# python3.11, pip (as `pip`) and a working apt-get (tests run apt-get in builds).
#
# Order:
#   (a) already present locally (and passes the check)  -> done
#   (b) docker pull python:3.11-slim (short timeout; fails at once offline)
#   (c) docker load the cached tar from $STOWAGE_E2E_CACHE (keeps the image ID
#       stable across re-runs, so layer caches and digests downstream do too)
#   (d) build offline from Debian bookworm with debootstrap (~50-60 s), docker
#       import it, tag it stowage-test/python:3.11 + python:3.11-slim, docker
#       save it into the cache.
# Writes $STATE/base-image.env (BASE_OFFLINE, BASE_SOURCE, BASE_IMAGE_ID) for up.sh.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE="$E2E_BASE_IMAGE"
LOCAL_TAG="$E2E_BASE_LOCAL_TAG"
LABEL_KEY="org.stowage.e2e.base"
LABEL_VALUE="debootstrap-bookworm"
MIRROR="${STOWAGE_E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PULL_TIMEOUT="${STOWAGE_E2E_PULL_TIMEOUT:-30}"
CACHE_TAR="$E2E_CACHE/python-3.11-slim.debootstrap-bookworm.image.tar"
VERIFIED="$E2E_STATE/base-image.verified" # image ID that already passed the check
OUT_ENV="$E2E_STATE/base-image.env"
BUILD_DIR="$E2E_STATE/base-build"
BUILD_LOG="$E2E_STATE/base-build.log"

image_id() { dkr image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
is_ours() { [[ "$(dkr image inspect --format "{{index .Config.Labels \"$LABEL_KEY\"}}" "$1" 2>/dev/null || true)" == "$LABEL_VALUE" ]]; }

# check IMAGE: python3 is 3.11, `pip` on PATH works, apt-get exists (plus
# /usr/bin/python3 for our Debian-built image). Cached per image ID, so a
# re-run costs one `docker image inspect` instead of a container start.
check_image() {
  local id out
  id="$(image_id "$IMAGE")"
  [[ -n "$id" ]] || return 1
  [[ -f "$VERIFIED" && "$(cat "$VERIFIED")" == "$id" ]] && return 0
  local extra=":"
  is_ours "$IMAGE" && extra='/usr/bin/python3 -c "import sys"'
  # shellcheck disable=SC2016
  if ! out="$(dkr run --rm --network none --entrypoint sh "$IMAGE" -c '
      set -e
      python3 -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version; print(\"python\", sys.version.split()[0])"
      '"$extra"'
      pip --version
      command -v apt-get >/dev/null || { echo "apt-get missing" >&2; exit 1; }' 2>&1)"; then
    log "image $IMAGE ($id) failed the check: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
    return 1
  fi
  log "check ok: $(echo "$out" | tr '\n' ' ' | sed 's/ *$//')"
  echo "$id" >"$VERIFIED"
}

finish() { # SOURCE
  local id offline=0
  id="$(image_id "$IMAGE")"
  is_ours "$IMAGE" && offline=1
  {
    echo "BASE_SOURCE=$1"
    echo "BASE_OFFLINE=$offline"
    echo "BASE_IMAGE_ID=$id"
  } >"$OUT_ENV"
  if ((offline)); then
    log "offline: using locally built Debian base image tagged $IMAGE (id $id, via $1)"
  elif [[ "$1" == pulled ]]; then
    log "pulled $IMAGE (id $id)"
  else
    log "using $IMAGE already present locally (id $id)"
  fi
}

# ---------------------------------------------------------------- (d) build

unmount_under() { # DIR: lazily unmount anything debootstrap left mounted below DIR
  local dir=$1 m
  [[ -d "$dir" ]] || return 0
  while read -r m; do
    if [[ -n "$m" ]]; then umount -l "$m" 2>/dev/null || true; fi
  done < <(awk -v p="$dir/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r)
}

cleanup_build() {
  unmount_under "$BUILD_DIR"
  # --one-file-system: never descend into a mount that survived the unmount.
  rm -rf --one-file-system "$BUILD_DIR" 2>/dev/null || true
}

build_image() {
  is_root || die "no usable $IMAGE locally, no Docker Hub, no cache tar, and building it needs root (debootstrap + chroot). Run as root, or provide $IMAGE yourself"
  command -v debootstrap >/dev/null 2>&1 ||
    die "debootstrap not found (Debian: apt-get install debootstrap; 'engine.sh up' installs it as root)"

  local rootfs="$BUILD_DIR/rootfs" t0
  cleanup_build
  trap cleanup_build EXIT
  mkdir -p "$rootfs"
  # Host PIP_*/proxy settings must not leak into the chroot (reference gotcha 5);
  # keep only PATH, locale and any http proxy the mirror might need.
  local cenv=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
  local v
  for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [[ -n "${!v:-}" ]] && cenv+=("$v=${!v}")
  done

  log "building $IMAGE offline: debootstrap --variant=minbase bookworm from $MIRROR (~1 min; log: $BUILD_LOG)"
  t0=$(now_ms)
  if ! "${cenv[@]}" debootstrap --variant=minbase --include=python3,python3-pip,python3-venv \
    bookworm "$rootfs" "$MIRROR" </dev/null >"$BUILD_LOG" 2>&1; then
    tail -n 20 "$BUILD_LOG" >&2 || true
    die "debootstrap failed (log: $BUILD_LOG; debootstrap's own log: $rootfs/debootstrap/debootstrap.log)"
  fi
  log "debootstrap done in $(fmt_ms $(($(now_ms) - t0)))"
  unmount_under "$rootfs"

  # Slim it down (~300 MB -> ~156 MB): debootstrap keeps its .debs and lists.
  "${cenv[@]}" chroot "$rootfs" apt-get clean >>"$BUILD_LOG" 2>&1
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
    "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log \
    "$rootfs"/var/cache/debconf/*-old "$rootfs"/debootstrap
  # Like the official python image: plain `pip install` into the system python.
  rm -f "$rootfs"/usr/lib/python3.11/EXTERNALLY-MANAGED
  # Debian's python3-pip ships pip3 (and pip); make sure `pip` and `python` resolve.
  [[ -e "$rootfs/usr/bin/pip" || -e "$rootfs/usr/local/bin/pip" ]] || ln -s /usr/bin/pip3 "$rootfs/usr/local/bin/pip"
  [[ -e "$rootfs/usr/bin/python" || -e "$rootfs/usr/local/bin/python" ]] || ln -s /usr/bin/python3 "$rootfs/usr/local/bin/python"
  # debootstrap copies the host's resolv.conf/hostname; dockerd mounts its own at run time.
  : >"$rootfs/etc/resolv.conf"
  echo localhost >"$rootfs/etc/hostname"

  local pyver
  pyver="$("${cenv[@]}" chroot "$rootfs" /usr/bin/python3 -c 'import platform; print(platform.python_version())')"
  log "rootfs ready (python $pyver, $(du -sm "$rootfs" | cut -f1) MB); importing"

  # /proc, /sys and /dev contents are runtime mounts in a container: keep the dirs only.
  tar --numeric-owner -C "$rootfs" -c --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' . |
    dkr_import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change "LABEL $LABEL_KEY=$LABEL_VALUE org.stowage.e2e.python=$pyver org.stowage.e2e.created-by=tooling/e2e/scripts/base-image.sh" \
      --change 'CMD ["python3"]' \
      - "$LOCAL_TAG" >/dev/null
  dkr tag "$LOCAL_TAG" "$IMAGE"
  cleanup_build
  trap - EXIT

  save_cache
}

# `docker import` reads the tar from stdin, so it cannot go through dkr().
dkr_import() { "$E2E_DOCKER" import "$@"; }

save_cache() {
  mkdir -p "$E2E_CACHE"
  local t0
  t0=$(now_ms)
  dkr save -o "$CACHE_TAR.tmp" "$LOCAL_TAG" "$IMAGE"
  mv "$CACHE_TAR.tmp" "$CACHE_TAR"
  log "saved $LOCAL_TAG + $IMAGE to $CACHE_TAR ($(du -sm "$CACHE_TAR" | cut -f1) MB, $(fmt_ms $(($(now_ms) - t0))))"
}

# ---------------------------------------------------------------- main

main() {
  ensure_state_dir
  take_lock
  engine_answers || die "no Docker engine answers; run engine.sh up first"

  # (a) already there
  if [[ -n "$(image_id "$IMAGE")" ]]; then
    if check_image; then
      finish local
      return 0
    fi
    log "WARNING: the local $IMAGE is not usable for the e2e tests; replacing the tag (the image itself is kept)"
  fi

  # (b) pull (fails at once when Docker Hub does not resolve)
  if [[ "${STOWAGE_E2E_SKIP_PULL:-}" != 1 ]]; then
    log "trying docker pull $IMAGE (timeout ${PULL_TIMEOUT}s)"
    if timeout "$PULL_TIMEOUT" "$E2E_DOCKER" pull -q "$IMAGE" </dev/null >/dev/null 2>"$E2E_STATE/pull.log"; then
      if check_image; then
        finish pulled
        return 0
      fi
    else
      log "pull failed: $(tail -n 1 "$E2E_STATE/pull.log" 2>/dev/null | cut -c1-160)"
    fi
  fi

  # (c) cached tar
  if [[ -f "$CACHE_TAR" ]]; then
    log "loading $CACHE_TAR"
    if dkr load -q -i "$CACHE_TAR" >/dev/null 2>"$E2E_STATE/load.log" && is_ours "$IMAGE" && check_image; then
      finish cache
      return 0
    fi
    log "cache tar unusable ($(tail -n 1 "$E2E_STATE/load.log" 2>/dev/null)); removing it and rebuilding"
    rm -f "$CACHE_TAR"
  fi

  # (d) build offline
  build_image
  check_image || die "the freshly built $IMAGE failed its check (see above)"
  finish built
}

main "$@"
