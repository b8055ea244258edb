/** The one-stream form of the output and the validation reading it back per source file. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceStream, splitSourceStream } from '../../model/source-stream';
import { distManifests, loadManifests } from '../../validation/manifests';
import { DIST_DIR } from '../../config/paths';
import { listEnvironments } from '../../config/load';

const dir = mkdtempSync(join(tmpdir(), 'source-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('source stream', () => {
  it('round-trips the rendered files', () => {
    const envs = new Map([['a', new Map([['x.yaml', 'kind: A\n'], ['y.yaml', 'kind: B\n---\nkind: C\n']])], ['b', new Map([['x.yaml', 'kind: D\n']])]]);
    const text = sourceStream(envs);
    expect(text.startsWith('---\n# Source: a/x.yaml\n')).toBe(true);
    expect(splitSourceStream(text)).toEqual([
      { env: 'a', file: 'x.yaml', text: 'kind: A\n' },
      { env: 'a', file: 'y.yaml', text: 'kind: B\n---\nkind: C\n' },
      { env: 'b', file: 'x.yaml', text: 'kind: D\n' },
    ]);
    expect(splitSourceStream('apiVersion: v1\n')).toBeUndefined();
  });

  it('the validation reads a stream of dist/ as it reads dist/: same environments, objects and file names', () => {
    const envs = new Map(listEnvironments().map((e) => [e, new Map(readdirSync(join(DIST_DIR, e)).sort().map((f) => [f, readFileSync(join(DIST_DIR, e, f), 'utf8')]))]));
    writeFileSync(join(dir, 'finbot.k8s.yaml'), sourceStream(envs));
    const fromStream = loadManifests([join(dir, 'finbot.k8s.yaml')], dir);
    const fromDist = loadManifests(distManifests(DIST_DIR), DIST_DIR);
    expect([...fromStream.keys()].sort()).toEqual([...fromDist.keys()].sort());
    for (const [env, objects] of fromDist) {
      const got = fromStream.get(env)!;
      expect(got.length, env).toBe(objects.length);
      const key = (s: { object: { kind: string; metadata?: { name?: string; namespace?: string } }; file: string }) => `${s.file}|${s.object.kind}|${s.object.metadata?.namespace}/${s.object.metadata?.name}`;
      expect(got.map(key).sort()).toEqual(objects.map(key).sort());
    }
  });
});
