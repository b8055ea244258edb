/**
 * Regenerates imports/ from the upstream CRDs listed in cdk8s.yaml `imports:`.
 *
 * For each CRD it writes
 *  - typed cdk8s classes (via `cdk8s import`) into imports/<group>.ts, one module per API group, and
 *  - the served versions' openAPIV3Schema into imports/schemas/<group>/<version>/<Kind>.json, so that
 *    validation works offline on a fresh clone without the CRD files.
 *
 * Offline: a CRD is read from ../shared/crds/<group>/<file> when that copy exists, else from its URL.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '..');
/** Local copies of the upstream CRDs: `--crds DIR` (e.g. from a git worktree), else ../shared/crds. */
const crdsFlag = process.argv.indexOf('--crds');
const sharedCrds = crdsFlag > 0 && process.argv[crdsFlag + 1] ? resolve(process.argv[crdsFlag + 1]) : resolve(root, '..', 'shared', 'crds');

interface CrdVersion { name: string; served: boolean; schema?: { openAPIV3Schema?: unknown } }
interface Crd { kind: string; spec: { group: string; names: { kind: string }; versions: CrdVersion[] } }

async function fetchText(url: string): Promise<string> {
  const group = basename(url).split('_')[0];
  const local = join(sharedCrds, group, basename(url));
  if (existsSync(local)) return readFileSync(local, 'utf8');
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url}: HTTP ${res.status}`);
  return res.text();
}

async function main(): Promise<void> {
  const config = yaml.load(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as { imports?: string[] };
  const urls = config.imports ?? [];
  const byGroup = new Map<string, Crd[]>();
  for (const url of urls) {
    const docs = yaml.loadAll(await fetchText(url)) as Crd[];
    for (const crd of docs.filter((d) => d?.kind === 'CustomResourceDefinition')) {
      const list = byGroup.get(crd.spec.group) ?? [];
      list.push(crd);
      byGroup.set(crd.spec.group, list);
    }
  }
  const importsDir = join(root, 'imports');
  rmSync(importsDir, { recursive: true, force: true });
  mkdirSync(importsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'finbot-import-'));
  try {
    for (const [group, crds] of [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const file = join(tmp, `${group}.yaml`);
      writeFileSync(file, crds.map((c) => yaml.dump(c, { noRefs: true })).join('---\n'));
      execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['import', file, '--language', 'typescript', '--output', importsDir, '--no-check-upgrade'],
        { stdio: ['ignore', 'ignore', 'inherit'], cwd: tmp, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
      for (const crd of crds) {
        for (const v of crd.spec.versions.filter((x) => x.served && x.schema?.openAPIV3Schema)) {
          const dir = join(importsDir, 'schemas', group, v.name);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, `${crd.spec.names.kind}.json`), JSON.stringify(v.schema!.openAPIV3Schema) + '\n');
        }
      }
      process.stdout.write(`imported ${group}: ${crds.map((c) => c.spec.names.kind).join(', ')}\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const HELP = `Regenerates imports/ from the upstream CRDs listed in cdk8s.yaml (imports:).

Usage: npm run import [-- --crds DIR]

For each CRD: typed cdk8s classes in imports/<group>.ts (cdk8s import) and the served versions' JSON
schemas in imports/schemas/<group>/<version>/<Kind>.json (for offline validation). A CRD is read from
../shared/crds/<group>/<file> (or DIR/<group>/<file> with --crds DIR) when that copy exists, otherwise
from its URL. Commit the result.`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`import failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
