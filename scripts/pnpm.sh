#!/bin/sh
# Runs the pnpm pinned in package.json's packageManager, whatever pnpm (if any) is on PATH.
# pnpm 11+ on PATH would switch itself to the pinned version through @pnpm/exe and its platform
# packages, which the registry does not carry for every pnpm 10 release, so npx runs the pinned
# pnpm itself; npx puts it first on PATH, so the scripts it runs find the same pnpm.
exec npx --yes pnpm@10.34.9 "$@"
