/**
 * Inside a startup snapshot (fast-start/snapshot.mjs) there is no module loader: a command that needs a
 * module the snapshot does not hold throws this, and the snapshot runs the command's slow path instead,
 * which loads anything and rebuilds the snapshot. Code that catches errors broadly must let it through.
 */
export class SnapshotHandover extends Error {
  /** The code fast-start/snapshot.mjs looks for. */
  readonly code = 'FINBOT_SNAPSHOT_HANDOVER';

  constructor(what: string) {
    super(`not in the startup snapshot: ${what}`);
    this.name = 'SnapshotHandover';
  }
}

/** Whether an error is a {@link SnapshotHandover} (rethrow it). */
export function isHandover(err: unknown): err is SnapshotHandover {
  return (err as { code?: unknown } | null)?.code === 'FINBOT_SNAPSHOT_HANDOVER';
}
