/**
 * What a synth changed, for the line `npm run synth` prints per environment: files and objects added, removed
 * and modified. Objects are told apart by kind, namespace and name, read from the YAML the writer emits.
 */
import type { EnvironmentChange } from './write-dist';

/** Counts of one environment's change. */
export interface ChangeCounts {
  readonly files: number;
  readonly added: number;
  readonly removed: number;
  readonly modified: number;
}

/** `Kind namespace/name` of each document of a YAML stream, with the document's text. */
export function documentsById(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  text.split(/^---\n/m).forEach((doc, i) => {
    if (doc.trim() === '') return;
    const kind = /^kind: *(.+)$/m.exec(doc)?.[1] ?? '?';
    const meta = /^metadata:\n((?: {2}.*\n?)*)/m.exec(doc)?.[1] ?? '';
    const name = /^ {2}name: *(.+)$/m.exec(meta)?.[1] ?? `#${i}`;
    const ns = /^ {2}namespace: *(.+)$/m.exec(meta)?.[1] ?? '';
    out.set(`${kind} ${ns ? `${ns}/` : ''}${name}`, doc);
  });
  return out;
}

/** Files and objects an environment's change touched. */
export function countChanges(change: EnvironmentChange): ChangeCounts {
  let added = 0;
  let removed = 0;
  let modified = 0;
  for (const f of change.files) {
    const before = documentsById(f.before);
    const after = documentsById(f.after);
    for (const [id, doc] of after) {
      const old = before.get(id);
      if (old === undefined) added++;
      else if (old !== doc) modified++;
    }
    for (const id of before.keys()) if (!after.has(id)) removed++;
  }
  return { files: change.files.length, added, removed, modified };
}

/** One line for an environment: `production: 2 files, 3 objects changed (1 added, 2 modified) in 41 ms`. */
export function changeLine(change: EnvironmentChange, ms?: number): string {
  const time = ms === undefined ? '' : ` (rendered in ${Math.round(ms)} ms)`;
  if (change.status === 'unchanged') return `${change.env}: unchanged${time}`;
  const c = countChanges(change);
  const objects = c.added + c.removed + c.modified;
  const parts = [c.added && `${c.added} added`, c.removed && `${c.removed} removed`, c.modified && `${c.modified} modified`].filter(Boolean).join(', ');
  const what = change.status === 'removed' ? 'removed (no such environment in config/environments)' : change.status === 'added' ? 'new' : 'written';
  const names = change.files.map((f) => f.name).join(', ');
  return `${change.env}: ${what}: ${c.files} file(s) changed (${names}), ${objects} object(s) changed${parts ? ` (${parts})` : ''}${time}`;
}
