#!/bin/sh
# Runs pnpm on a machine that may have only Node and npm: the pnpm on PATH when there is one
# (it switches itself to the version pinned in package.json's packageManager), else the pinned
# version through npx, which needs nothing installed globally.
if command -v pnpm >/dev/null 2>&1; then
  exec pnpm "$@"
fi
exec npx --yes pnpm@10.34.9 "$@"
