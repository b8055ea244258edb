import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDist } from '../../synth/write-dist';

const dirs: string[] = [];
const tempDist = () => {
  const d = mkdtempSync(join(tmpdir(), 'finbot-write-dist-'));
  dirs.push(d);
  return d;
};
const env = (files: Record<string, string>) => new Map(Object.entries(files));
const OLD = new Date('2020-01-01T00:00:00Z');
const age = (dir: string) => {
  for (const f of readdirSync(dir)) utimesSync(join(dir, f), OLD, OLD);
};
const isOld = (file: string) => statSync(file).mtimeMs === OLD.getTime();

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeDist', () => {
  it('writes every environment, and nothing else is left behind', () => {
    const dist = tempDist();
    writeDist(dist, new Map([['prod', env({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' })], ['stage', env({ 'a.yaml': 'a: 2\n' })]]));
    expect(readdirSync(dist).sort()).toEqual(['prod', 'stage']);
    expect(readFileSync(join(dist, 'prod', 'b.yaml'), 'utf8')).toBe('b: 1\n');
    expect(readFileSync(join(dist, 'stage', 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  it('leaves an environment whose files are unchanged as it is, and swaps in one that changed', () => {
    const dist = tempDist();
    const prod = env({ 'a.yaml': 'a: 1\n' });
    writeDist(dist, new Map([['prod', prod], ['stage', env({ 'a.yaml': 'a: 2\n' })]]));
    age(join(dist, 'prod'));
    age(join(dist, 'stage'));
    writeDist(dist, new Map([['prod', prod], ['stage', env({ 'a.yaml': 'a: 3\n' })]]));
    expect(isOld(join(dist, 'prod', 'a.yaml'))).toBe(true);
    expect(isOld(join(dist, 'stage', 'a.yaml'))).toBe(false);
    expect(readFileSync(join(dist, 'stage', 'a.yaml'), 'utf8')).toBe('a: 3\n');
    expect(readdirSync(dist).sort()).toEqual(['prod', 'stage']);
  });

  it('rewrites an environment with a stray file, a missing file or an edited file', () => {
    const dist = tempDist();
    const files = env({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    for (const spoil of [
      (d: string) => writeFileSync(join(d, 'stray.yaml'), 'x: 1\n'),
      (d: string) => rmSync(join(d, 'b.yaml')),
      (d: string) => writeFileSync(join(d, 'a.yaml'), 'a: 9\n'),
    ]) {
      writeDist(dist, new Map([['prod', files]]));
      spoil(join(dist, 'prod'));
      writeDist(dist, new Map([['prod', files]]));
      expect(readdirSync(join(dist, 'prod')).sort()).toEqual(['a.yaml', 'b.yaml']);
      expect(readFileSync(join(dist, 'prod', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    }
  });

  it('prunes environments that are no longer rendered, even when nothing else changed', () => {
    const dist = tempDist();
    const prod = env({ 'a.yaml': 'a: 1\n' });
    writeDist(dist, new Map([['prod', prod], ['gone', env({ 'a.yaml': 'a: 1\n' })]]));
    mkdirSync(join(dist, '.keep'));
    writeDist(dist, new Map([['prod', prod]]), { prune: true });
    expect(readdirSync(dist).sort()).toEqual(['.keep', 'prod']);
  });
});
