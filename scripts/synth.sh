#!/bin/sh
# The synth app: cdk8s.yaml's `app:` and `npm run synth` (arguments: `npm run synth -- --help`).
#
# Fast path: node starts from a V8 startup snapshot of the bundled app (.build/synth.blob, built by
# scripts/synth.mjs), so nothing is loaded or compiled at start. The snapshot checks that it was built in
# this folder and that no source is newer; if not, it hands over to scripts/synth.mjs, which rebuilds it.
# If node cannot start from it (another node version, or a damaged file), it is deleted and rebuilt.
# Without a snapshot, or with NODE_OPTIONS set (a snapshot only loads with the V8 flags it was built with),
# scripts/synth.mjs runs the app from the bundle and builds the snapshot for the next run.
# FINBOT_NO_SNAPSHOT=1 skips the snapshot (and building it). Kept to shell built-ins: this runs on every synth.
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
blob=$dir/../.build/synth.blob
if [ -z "${NODE_OPTIONS:-}" ] && [ -z "${FINBOT_NO_SNAPSHOT:-}" ] && [ -f "$blob" ]; then
  node --snapshot-blob "$blob" -- "$@"
  rc=$?
  # The app itself exits 0 or 1. 14: node refused the snapshot (built by another node or with other V8
  # flags); 134/139: node aborted or crashed reading it.
  case $rc in 14 | 134 | 139) ;; *) exit $rc ;; esac
  echo "note: node could not start from the startup snapshot (exit code $rc); rebuilding it" >&2
  rm -f "$blob"
fi
exec node "$dir/synth.mjs" "$@"
