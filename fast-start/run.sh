#!/bin/sh
# Runs a bundled command from its V8 startup snapshot: `sh fast-start/run.sh synth|validate [ARGS...]`.
# cdk8s.yaml's `app:`, `npm run synth`, `npm run validate` and the validation plugin call it.
#
# Fast path: node starts from .build/<command>.blob (built by fast-start/<command>.mjs through
# fast-start/snapshot.mjs), so nothing is loaded or compiled at start. The snapshot checks that it was built
# in this folder and that no source is newer; if not, it hands over to fast-start/<command>.mjs, which rebuilds
# it. If node cannot start from it (another node version, or a damaged file), it is deleted and rebuilt.
# Without a snapshot, or with NODE_OPTIONS set (a snapshot only loads with the V8 flags it was built with),
# fast-start/<command>.mjs runs the command from its bundle and builds the snapshot for the next run.
# FINBOT_NO_SNAPSHOT=1 skips the snapshots (and building them). Shell built-ins only: this runs every time.
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
name=$1
shift
case $name in synth | validate) ;; *) echo "usage: sh fast-start/run.sh synth|validate [ARGS...]" >&2; exit 2 ;; esac
blob=$dir/../.build/$name.blob
if [ -z "${NODE_OPTIONS:-}" ] && [ -z "${FINBOT_NO_SNAPSHOT:-}" ] && [ -f "$blob" ]; then
  # The V8 flags the snapshot was built with (SNAPSHOT_NODE_FLAGS in fast-start/snapshot.mjs).
  node --no-opt --no-rehash-snapshot --snapshot-blob "$blob" -- "$@"
  rc=$?
  # The commands exit 0, 1 or 2. 14: node refused the snapshot (built by another node or with other V8
  # flags); 134/139: node aborted or crashed reading it.
  case $rc in 14 | 134 | 139) ;; *) exit $rc ;; esac
  echo "note: node could not start from the startup snapshot $name.blob (exit code $rc); rebuilding it" >&2
  rm -f "$blob"
fi
exec node "$dir/$name.mjs" "$@"
