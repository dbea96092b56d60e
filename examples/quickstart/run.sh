#!/usr/bin/env bash
# pnpm quickstart: set up what is missing (Docker engine, a Python base image, the local package
# index), build the quickstart pipeline's images with `stowage build`, then run the `train` step's
# container and show its output.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

echo "==> Setting up a Docker engine, a python:3.11-slim base image and a local package index"
# Only what the quickstart uses: no registries.
bash tooling/e2e/scripts/up.sh --no-registry
# shellcheck disable=SC1090
. "${STOWAGE_E2E_STATE:-/tmp/stowage-e2e}/env"
if [ "${STOWAGE_E2E_BASE_OFFLINE:-0}" = 1 ]; then
  echo "==> Offline: python:3.11-slim could not be pulled, so a Debian-built Python 3.11 base image tagged python:3.11-slim is used"
else
  echo "==> Using python:3.11-slim"
fi

stowage() { node --conditions=@stowage/source apps/cli/bin/stowage-dev.mjs --config examples/quickstart/stowage.yaml "$@"; }

echo "==> stowage plan"
stowage plan
echo "==> stowage build"
stowage build
echo "==> stowage run train (its launch spec: image, command, run-time environment)"
stowage run train
echo "==> Done. Run \`pnpm quickstart\` again: the build is reused. Stop the helper services with: bash tooling/e2e/scripts/down.sh"
