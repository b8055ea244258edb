#!/bin/sh
# npm run validate, and the cdk8s validation plugin's call (arguments: `npm run validate -- --help`).
# Fast path: node starts from the validation's startup snapshot (.build/validate.blob, built by
# scripts/validate.mjs), the same way scripts/synth.sh starts the synth; see there for the fallbacks.
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
blob=$dir/../.build/validate.blob
if [ -z "${NODE_OPTIONS:-}" ] && [ -z "${FINBOT_NO_SNAPSHOT:-}" ] && [ -f "$blob" ]; then
  node --snapshot-blob "$blob" -- "$@"
  rc=$?
  # The command itself exits 0, 1 or 2. 14: node refused the snapshot; 134/139: node aborted or crashed reading it.
  case $rc in 14 | 134 | 139) ;; *) exit $rc ;; esac
  echo "note: node could not start from the startup snapshot (exit code $rc); rebuilding it" >&2
  rm -f "$blob"
fi
exec node "$dir/validate.mjs" "$@"
