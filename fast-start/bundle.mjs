// Content-addressed bundles: `.build/<command>.cjs`, one CommonJS file per command with everything it imports
// (node_modules included), built by esbuild. The file's first line is its manifest: the node version, the
// generated entry, every input esbuild read (from its metafile) and each package.json that steered module
// resolution, each with the digest of its bytes (content.mjs), and the digest of the bundle text itself.
// A bundle is reused only when all of those still match; a file's time is never read.
//
// Publishing is safe against edits during the build: the inputs are digested before and after esbuild runs,
// and the bundle is published (written to a private file, then renamed into place) only when both agree and
// esbuild read the same files as the inputs digested before. Otherwise it builds again (an edit in progress),
// and after three tries runs this once from the unpublished bundle.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestInputs, sha256 } from './content.mjs';

/** The repository root (fast-start/ lives directly below it). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The cache folder: deleting it is always safe. */
export const BUILD_DIR = join(ROOT, '.build');
const HEADER = '//fast-start-bundle ';

/** The fast-start code that shapes every bundle and snapshot: part of every key. */
const OWN_FILES = ['fast-start/bundle.mjs', 'fast-start/content.mjs', 'fast-start/snapshot.mjs', 'fast-start/commands.mjs', 'fast-start/slow-path.mjs', 'tsconfig.json', 'package.json'];

/** Reads `.build/<name>.cjs` and its manifest; undefined when missing or damaged (text does not match). */
export function readBundle(name) {
  const file = join(BUILD_DIR, `${name}.cjs`);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const eol = text.indexOf('\n');
  if (!text.startsWith(HEADER) || eol < 0) return undefined;
  try {
    const manifest = JSON.parse(text.slice(HEADER.length, eol));
    return sha256(text.slice(eol + 1)) === manifest.body ? { file, manifest } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a manifest still describes the tree: same command, node, entry and input bytes. */
function matches(manifest, name, entryKey) {
  if (manifest.command !== name || manifest.node !== process.version || manifest.entry !== entryKey) return false;
  const now = digestInputs(ROOT, manifest.inputs.map(([kind, path]) => [kind, path]));
  return now.every(([, , digest], i) => digest === manifest.inputs[i][2]);
}

/** The package folder name (`a` or `@scope/a`) at the start of a path below a node_modules folder. */
const packageName = (rest) => {
  const parts = rest.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

/**
 * The inputs of a build: what esbuild read, the package.json of each package it read from, fast-start's own
 * code, and where each package the project imports resolves from the root (`realpath` of
 * `node_modules/<package>`): esbuild reports the files of a linked package under the link's target, so
 * without it a link replaced by a folder with other contents would leave the old target's digests matching.
 */
function inputsOf(metafile) {
  const files = new Set(OWN_FILES);
  const links = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    // Virtual modules (a plugin's namespace, stdin) are made by fast-start's code, which is an input.
    if (input.includes(':') || input.startsWith('<')) continue;
    files.add(input);
    const at = input.lastIndexOf('node_modules/');
    if (at >= 0) files.add(`${input.slice(0, at)}node_modules/${packageName(input.slice(at + 'node_modules/'.length))}/package.json`);
    const first = input.indexOf('node_modules/');
    if (first >= 0) links.add(`node_modules/${packageName(input.slice(first + 'node_modules/'.length))}`);
  }
  return [...[...files].sort().map((f) => ['file', f]), ...[...links].sort().map((l) => ['realpath', l])];
}

/**
 * Returns `{ file, manifest }` of a bundle for command `name` that matches the tree, building it when needed.
 * `spec.entryKey` is a digest of the generated entry (if any); `spec.build(esbuild)` runs esbuild with
 * `metafile: true, write: false` and returns its result.
 */
export async function ensureBundle(name, spec) {
  const current = readBundle(name);
  if (current && matches(current.manifest, name, spec.entryKey)) return current;
  const esbuild = await import('esbuild');
  mkdirSync(BUILD_DIR, { recursive: true });
  let expected = current?.manifest.inputs.map(([kind, path]) => [kind, path]) ?? [];
  for (let attempt = 1; ; attempt++) {
    const before = digestInputs(ROOT, expected);
    const result = await spec.build(esbuild);
    // Tests make an edit here, while the build is under way.
    if (process.env.FINBOT_FAST_START_TEST_HOOK) spawnSync('sh', ['-c', process.env.FINBOT_FAST_START_TEST_HOOK], { stdio: 'inherit' });
    const inputs = inputsOf(result.metafile);
    const after = digestInputs(ROOT, inputs);
    const stable = JSON.stringify(before) === JSON.stringify(after);
    const body = result.outputFiles.find((f) => f.path.endsWith('.cjs')).text;
    const manifest = { command: name, node: process.version, entry: spec.entryKey, inputs: after, body: sha256(body) };
    const text = `${HEADER}${JSON.stringify(manifest)}\n${body}`;
    const file = join(BUILD_DIR, `${name}.cjs`);
    if (stable) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, file);
      return { file, manifest };
    }
    if (attempt === 3) {
      // The tree keeps changing: run this once from a private copy, publish nothing.
      const own = join(BUILD_DIR, `${name}.${process.pid}.unpublished.cjs`);
      writeFileSync(own, text);
      process.on('exit', () => rmSync(own, { force: true }));
      return { file: own, manifest };
    }
    expected = inputs;
  }
}
