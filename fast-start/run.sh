#!/bin/sh
# Runs a bundled command: `sh fast-start/run.sh synth|validate [ARGS...]`. cdk8s.yaml's `app:`,
# `npm run synth`, `npm run validate` and the validation plugin call it.
#
# Fast path: node starts from the command's startup snapshot .build/<command>.blob (fast-start/snapshot.mjs).
# The snapshot checks, before it runs anything, that it was built for this command, node, V8 flags and
# folder and from the very bytes of every input; if not it exits 75. The command itself exits 0, 1 or 2. Any
# other exit code means it did not run from the snapshot (75: stale; 133/134/139: node refused or aborted on
# a damaged file; 14: built by another node): the slow path fast-start/<command>.mjs then runs the command
# from its content-addressed bundle and rebuilds the snapshot. Without a snapshot, with NODE_OPTIONS set
# (a snapshot only loads with the V8 flags it was built with) or with FINBOT_NO_SNAPSHOT=1, the slow path
# runs directly. The node is the project's own (node_modules/.bin/node, the `node` devDependency) when
# installed. Shell built-ins only: this runs every time.
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
name=$1
shift
case $name in synth | validate) ;; *) echo "usage: sh fast-start/run.sh synth|validate [ARGS...]" >&2; exit 2 ;; esac
node=$dir/../node_modules/.bin/node
[ -x "$node" ] || node=node
blob=$dir/../.build/$name.blob
if [ -z "${NODE_OPTIONS:-}" ] && [ -z "${FINBOT_NO_SNAPSHOT:-}" ] && [ -f "$blob" ]; then
  # The V8 flags of every snapshot (SNAPSHOT_NODE_FLAGS in fast-start/snapshot.mjs).
  "$node" --no-opt --max-semi-space-size=64 --min-semi-space-size=16 --no-rehash-snapshot --verify-snapshot-checksum --snapshot-blob "$blob" -- "$name" "$@"
  rc=$?
  case $rc in 0 | 1 | 2) exit $rc ;; 75) ;; *)
    echo "note: node could not start from the startup snapshot $name.blob (exit code $rc); rebuilding it" >&2
    rm -f "$blob" ;;
  esac
fi
exec "$node" "$dir/$name.mjs" "$@"
