/**
 * The supported Node.js versions are stated honestly (issue #19): package.json `engines.node` admits exactly the
 * versions every installed package admits (so `npm ci` on a supported Node prints no EBADENGINE warning), the
 * pinned `node` devDependency that CI and the npm scripts use is one of them, and README.md says the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../config/paths';

type Version = [number, number, number];

function parse(v: string): Version {
  const [a = 0, b = 0, c = 0] = v.trim().replace(/^v/, '').split('.').map((n) => Number(n));
  return [a, b, c];
}
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Does `version` satisfy an npm engines range made of `||` alternatives of `>=x`, `^x`, `>x`, `x`, or `>=a <b`? */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) => {
    if (/^\s*(\*|x|X)?\s*$/.test(alt)) return true;
    const parts = alt.trim().replace(/(>=|<=|>|<|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return parts.every((p) => {
      const m = /^(>=|<=|>|<|\^|~|=)?(.+)$/.exec(p)!;
      const [op, raw] = [m[1] ?? '', m[2]];
      const given = raw.split('.').length;
      const r = parse(raw);
      if (op === '>=') return cmp(v, r) >= 0;
      if (op === '>') return cmp(v, r) > 0;
      if (op === '<=') return cmp(v, r) <= 0;
      if (op === '<') return cmp(v, r) < 0;
      if (op === '^') return v[0] === r[0] && cmp(v, r) >= 0;
      if (op === '~') return v[0] === r[0] && v[1] === r[1] && cmp(v, r) >= 0;
      // A bare version: that major (x), major.minor (x.y) or exactly x.y.z.
      return v[0] === r[0] && (given < 2 || v[1] === r[1]) && (given < 3 || v[2] === r[2]);
    });
  });
}

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
const engines: string = pkg.engines.node;
/** engines.node of every package npm installs on Linux x64 (optional packages of other platforms aside). */
const installed = Object.entries(lock.packages as Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[]; cpu?: string[] }>)
  .filter(([path, p]) => path !== '' && !Array.isArray(p.engines) && p.engines?.node && !(p.optional && ((p.os && !p.os.includes('linux')) || (p.cpu && !p.cpu.includes('x64')))))
  .map(([path, p]) => ({ path, range: (p.engines as { node: string }).node }));
/** The lowest version of each alternative of the project's range (`^22.13.0 || >=24.0.0` → 22.13.0, 24.0.0). */
const lowest = engines.split('||').map((a) => a.trim().replace(/^(>=|\^|~)/, ''));

describe('Node.js versions', () => {
  it('the range evaluator reads npm ranges', () => {
    expect(satisfies('22.12.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('22.11.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('23.1.0', '^20.12||^22||>=24')).toBe(false);
    expect(satisfies('24.21.0', '>= 20.16.0')).toBe(true);
    expect(satisfies('22.13.0', '*')).toBe(true);
  });

  it('every installed package admits the lowest version of each supported line, and the pinned node', () => {
    const pinned = pkg.devDependencies.node as string;
    for (const v of [...lowest, pinned]) {
      expect(satisfies(v, engines), `${v} in ${engines}`).toBe(true);
      const refusing = installed.filter((p) => !satisfies(v, p.range)).map((p) => `${p.path} (${p.range})`);
      expect(refusing, `npm ci on Node ${v} would warn EBADENGINE`).toEqual([]);
    }
  });

  it('the range is no wider than the packages allow: just below each lower bound a package refuses', () => {
    for (const low of lowest) {
      const [a, b, c] = parse(low);
      const below = c > 0 ? `${a}.${b}.${c - 1}` : b > 0 ? `${a}.${b - 1}.99` : `${a - 1}.99.99`;
      expect(installed.some((p) => !satisfies(below, p.range)), `Node ${below} works for every package: widen engines.node`).toBe(true);
    }
  });

  it('npm ci asks about no install script: each package that has one is allowed or denied in allowScripts', () => {
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    const decided = Object.keys(pkg.allowScripts ?? {});
    expect(withScripts.filter((name) => !decided.includes(name)), 'npm warns "install scripts not yet covered by allowScripts"').toEqual([]);
  });

  it('the lock file and README state the same range', () => {
    expect(lock.packages[''].engines.node).toBe(engines);
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`\`${engines}\``);
  });
});
