#!/usr/bin/env bash
# The README's set-up, in a fresh clone of the committed HEAD with nothing beside it: proves the
# project needs no ../shared (or anything else uncommitted) to build, test and verify.
# Bench is left out: it adds about 3 minutes and checks speed, not self-containment.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
head="$(git -C "$repo" rev-parse HEAD)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The clone sits alone in its own temp folder, so its ../shared cannot exist.
git clone -q --no-checkout "$repo" "$tmp/project"
git -C "$tmp/project" checkout -q --detach "$head"
[ ! -e "$tmp/shared" ] || { echo "ci-clean-clone: $tmp/shared exists" >&2; exit 1; }
cd "$tmp/project"
echo "ci-clean-clone: $head in $tmp/project"

step() {
  local start=$SECONDS
  echo "ci-clean-clone: $*"
  bash -c "$*"
  echo "ci-clean-clone: '$*' took $((SECONDS - start)) s"
}
# README "Set-up: two commands", then the importer's check of the built zip.
step "npm install --no-audit --no-fund && npm run build"
step "npm test"
step "npm run verify"
echo "ci-clean-clone: passed in $SECONDS s"
