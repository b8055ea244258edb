// Content digests: what decides whether a cached bundle or snapshot still matches the tree. Only bytes count;
// no file time is ever read. `makeInputDigest` is also inlined into every snapshot (snapshot.mjs), so it
// must stay self-contained: it gets the built-in modules it uses as arguments.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Returns `digest(root, kind, file)`: the digest of one input as a run would see it now. `file` is relative
 * to `root`; `kind` is `file` (its bytes), `dir` (its sorted entry names) or `exists` (whether it is there).
 * A missing input has its own digest, so appearing or disappearing is a change too.
 */
export function makeInputDigest(fs, crypto, path) {
  const hash = (data) => crypto.createHash('sha256').update(data).digest('base64');
  return (root, kind, file) => {
    const abs = path.join(root, file);
    try {
      if (kind === 'file') return hash(fs.readFileSync(abs));
      if (kind === 'dir') return hash(fs.readdirSync(abs).sort().join('\0'));
      return fs.existsSync(abs) ? 'yes' : 'no';
    } catch {
      return 'missing';
    }
  };
}

/** The digest of one input now (see {@link makeInputDigest}). */
export const inputDigest = makeInputDigest(fs, crypto, path);

/** `[kind, path, digest]` of each `[kind, path]` input now. */
export function digestInputs(root, inputs) {
  return inputs.map(([kind, file]) => [kind, file, inputDigest(root, kind, file)]);
}

/** One digest over a list of `[kind, path, digest]`, order kept. */
export function combine(entries) {
  const h = crypto.createHash('sha256');
  for (const [kind, file, digest] of entries) h.update(`${kind}\0${file}\0${digest}\n`);
  return h.digest('hex');
}

/** sha256 of a string or bytes, hex. */
export function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}
