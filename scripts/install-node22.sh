#!/usr/bin/env bash
# Installs Node 22 beside the project, in .ci/node22, from the npm registry (the node-<os>-<cpu>
# package carries the binary); does nothing when that version is already there. Prints its bin folder.
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.23.3
dir=.ci/node22
bin="$PWD/$dir/node_modules/.bin"
if [[ "$("$bin/node" --version 2>/dev/null || true)" != "v$version" ]]; then
  package="node-$(node -p 'process.platform')-$(node -p 'process.arch')@$version"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "$package" >&2
fi
echo "$bin"
