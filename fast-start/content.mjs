// Content digests: what decides whether a cached bundle or snapshot still matches the tree. Only bytes count;
// no file time is ever read. `makeInputDigest` is also inlined into every snapshot (snapshot.mjs), so it
// must stay self-contained: it gets the built-in modules it uses as arguments.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Returns `digest(root, kind, file)`: the digest of one input as a run would see it now. `file` is relative
 * to `root`; `kind` is `file` (its bytes), `dir` (its sorted entry names), `exists` (whether it is there) or
 * `realpath` (where the path leads once symbolic links are followed: a `node_modules/<package>` that was a link
 * elsewhere and is now a folder of its own reads other files under the same name).
 * A missing input has its own digest, so appearing or disappearing is a change too.
 */
export function makeInputDigest(fs, crypto, path) {
  // One buffer for every file read: the snapshot's check reads ~1,000 files at every start.
  let buffer = Buffer.alloc(0);
  const hash = crypto.hash ? (data) => crypto.hash('sha256', data, 'base64') : (data) => crypto.createHash('sha256').update(data).digest('base64');
  const readFile = (abs) => {
    const fd = fs.openSync(abs, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.allocUnsafe(Math.max(size, 1 << 20));
      let done = 0;
      while (done < size) {
        const n = fs.readSync(fd, buffer, done, size - done, done);
        if (n === 0) break;
        done += n;
      }
      return buffer.subarray(0, done);
    } finally {
      fs.closeSync(fd);
    }
  };
  return (root, kind, file) => {
    const abs = path.isAbsolute(file) ? file : `${root}${path.sep}${file}`;
    try {
      if (kind === 'file') return hash(readFile(abs));
      if (kind === 'dir') return hash(fs.readdirSync(abs).sort().join('\0'));
      if (kind === 'realpath') return fs.realpathSync(abs);
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
