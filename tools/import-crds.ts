/**
 * Regenerates imports/ from the upstream files listed in cdk8s.yaml:
 *  - `imports:` (the cdk8s CLI's own list): CRDs that get typed cdk8s classes (`cdk8s import`) in
 *    imports/<group>.ts, and their strict JSON schemas;
 *  - `schemas.crds:`: CRDs whose strict JSON schema only is imported (the kinds the output writes as plain
 *    objects or with @kubernetes-models classes);
 *  - `schemas.kubernetes:`: the OpenAPI definitions of each Kubernetes version built-in kinds are validated
 *    against, plus the enum overlay of that version (../shared/schemas/kubernetes/enums-v<version>.json).
 *
 * Written: imports/schemas/<group>/<version>/<Kind>.json (one per served CRD version),
 * imports/schemas/kubernetes/v<version>.json, and imports/schemas/index.json (apiVersion/kind → the
 * schemas that object is validated against, with each file's sha256, which keys the compiled validators).
 * The strictness is tools/import/strict-schema.ts. Everything is committed: a fresh clone needs no network
 * and no ../shared.
 *
 * Offline: a file is read from its copy in ../shared (located through ../shared/crds/SOURCES.md, which
 * names each copy's upstream repo, ref and path) when there is one, else from its URL.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { fetchText as fetchFile } from './import/fetch-text';
import { type EnumField, kubernetesKinds, OBJECT_META, type Schema, strictCrdSchema, strictKubernetesDefinitions } from './import/strict-schema';

const root = resolve(import.meta.dirname, '..');
// The folder of upstream copies: ../shared next to the clone (or next to the folder of worktrees), or
// FINBOT_SHARED_DIR.
const shared = process.env.FINBOT_SHARED_DIR ?? [resolve(root, '..', 'shared'), resolve(root, '..', '..', 'shared')].find((d) => existsSync(d)) ?? resolve(root, '..', 'shared');

interface CrdVersion { name: string; served: boolean; schema?: { openAPIV3Schema?: Schema } }
interface Crd { kind: string; spec: { group: string; names: { kind: string }; versions: CrdVersion[] } }

/** One schema an apiVersion/kind is validated against (imports/schemas/index.json). */
export interface IndexEntry {
  /** `$id` of the schema document (a file in `files`). */
  readonly schema: string;
  /** JSON pointer inside it, `#` for the document itself. */
  readonly ref: string;
  /** What a problem is labelled with: `Kubernetes 1.27`, or the CRD's source. */
  readonly label: string;
  /** Every document the schema references (itself first). */
  readonly uses: readonly string[];
}

/** `https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>` → its copy in ../shared/crds (SOURCES.md). */
function sharedCopies(): Map<string, string[]> {
  const copies = new Map<string, string[]>();
  const sources = join(shared, 'crds', 'SOURCES.md');
  if (!existsSync(sources)) return copies;
  for (const line of readFileSync(sources, 'utf8').split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| file') || line.startsWith('|--') || line.startsWith('|---')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
    const file = cells[0];
    if (!file.endsWith('.yaml')) continue;
    const repo = cells.find((c) => /^[\w.-]+\/[\w.-]+$/.test(c) && !c.endsWith('.yaml'));
    const path = cells.slice(1).map((c) => c.replace(/\s*\(.*\)$/, '')).find((c) => c.includes('/') && c.endsWith('.yaml') && !c.startsWith('http'));
    if (!repo || !path) continue;
    // The ref: a tag (v1.30.0, 1.30.3, apis/v0.158.0) or a commit, wherever the row names it.
    const refs = new Set<string>();
    for (const c of cells.slice(1)) for (const m of c.matchAll(/(?:apis\/)?v?\d+\.\d+\.\d+|\b[0-9a-f]{12,40}\b/g)) refs.add(m[0]);
    for (const c of cells) if (c.startsWith('https://')) refs.add(c);
    for (const ref of refs) {
      const url = ref.startsWith('https://') ? ref : `https://raw.githubusercontent.com/${repo}/${ref}/${path}`;
      const list = copies.get(url) ?? [];
      if (!list.includes(join(shared, 'crds', file))) copies.set(url, [...list, join(shared, 'crds', file)]);
    }
  }
  return copies;
}

/** A file by its URL, or its copies in ../shared (tools/import/fetch-text.ts). */
function fetchText(url: string, local: readonly string[]): Promise<string> {
  return fetchFile(url, local, shared);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface ImportConfig {
  readonly imports?: string[];
  readonly schemas?: { readonly kubernetes?: string[]; readonly crds?: string[] };
}

/** The label of a CRD's problems: its file and release, from the URL. */
function crdLabel(url: string): string {
  const m = /raw\.githubusercontent\.com\/([^/]+\/[^/]+)\/(.+?)\/(?:config|deploy|manifests|example|kubernetes)\//.exec(url);
  return m ? `CRD of ${m[1]} ${m[2]}` : `CRD from ${url}`;
}

async function main(): Promise<void> {
  const config = yaml.load(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as ImportConfig;
  const classUrls = config.imports ?? [];
  const schemaUrls = config.schemas?.crds ?? [];
  const kubernetesUrls = config.schemas?.kubernetes ?? [];
  if (kubernetesUrls.length === 0) throw new Error('cdk8s.yaml: schemas.kubernetes lists no Kubernetes version');
  const copies = sharedCopies();

  const importsDir = join(root, 'imports');
  const schemasDir = join(importsDir, 'schemas');
  // --schemas-only keeps the generated classes (they take minutes to regenerate) and rewrites the schemas.
  const schemasOnly = process.argv.includes('--schemas-only');
  rmSync(schemasOnly ? schemasDir : importsDir, { recursive: true, force: true });
  mkdirSync(schemasDir, { recursive: true });
  const files: Record<string, { path: string; sha256: string }> = {};
  const kinds: Record<string, IndexEntry[]> = {};
  const write = (id: string, schema: Schema) => {
    const rel = `${id}.json`;
    const text = `${JSON.stringify(schema)}\n`;
    mkdirSync(join(schemasDir, rel, '..'), { recursive: true });
    writeFileSync(join(schemasDir, rel), text);
    files[id] = { path: rel, sha256: sha256(text) };
  };

  // Built-in kinds: one definitions document per Kubernetes version.
  let objectMeta = '';
  for (const url of kubernetesUrls) {
    const version = /\/v(\d+\.\d+\.\d+)\//.exec(url)?.[1];
    if (!version) throw new Error(`cdk8s.yaml schemas.kubernetes: no version (/vX.Y.Z/) in ${url}`);
    const defs = JSON.parse(await fetchText(url, [join(shared, 'schemas', 'kubernetes', `k8s-v${version}-definitions.json`)])).definitions as Record<string, Schema>;
    const enumFile = join(shared, 'schemas', 'kubernetes', `enums-v${version}.json`);
    if (!existsSync(enumFile)) throw new Error(`the enum overlay of Kubernetes ${version} is missing: ${enumFile} (see its SOURCES.md)`);
    const enums = JSON.parse(readFileSync(enumFile, 'utf8')).definitions as Record<string, Record<string, EnumField>>;
    const id = `kubernetes-v${version}`;
    write(id, strictKubernetesDefinitions(defs, enums, id));
    // Custom resources' metadata: ObjectMeta of the oldest version listed (the field set has not changed).
    objectMeta ||= `${id}#/definitions/${OBJECT_META}`;
    const label = `Kubernetes ${version.replace(/\.0$/, '')}`;
    for (const [key, name] of kubernetesKinds(defs)) (kinds[key] ??= []).push({ schema: id, ref: `#/definitions/${name}`, label, uses: [id] });
    process.stdout.write(`imported Kubernetes ${version}: ${kubernetesKinds(defs).size} kinds\n`);
  }

  // CRDs: strict schema of every served version; typed classes for the `imports:` ones.
  const tmp = mkdtempSync(join(tmpdir(), 'finbot-import-'));
  try {
    const classGroups = new Map<string, Crd[]>();
    for (const url of [...classUrls, ...schemaUrls]) {
      const docs = (yaml.loadAll(await fetchText(url, copies.get(url) ?? [])) as Crd[]).filter((d) => d?.kind === 'CustomResourceDefinition');
      if (docs.length === 0) throw new Error(`${url}: no CustomResourceDefinition`);
      for (const crd of docs) {
        for (const v of crd.spec.versions.filter((x) => x.served && x.schema?.openAPIV3Schema)) {
          const id = `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`;
          if (files[id]) throw new Error(`${id} is listed twice in cdk8s.yaml`);
          write(id, strictCrdSchema(v.schema!.openAPIV3Schema!, objectMeta));
          kinds[id] = [{ schema: id, ref: '#', label: crdLabel(url), uses: [id, objectMeta.split('#')[0]] }];
        }
        if (classUrls.includes(url) && !schemasOnly) classGroups.set(crd.spec.group, [...(classGroups.get(crd.spec.group) ?? []), crd]);
      }
      process.stdout.write(`imported ${docs.map((c) => `${c.spec.group}/${c.spec.names.kind}`).join(', ')}${classUrls.includes(url) ? ' (+ classes)' : ''}\n`);
    }
    for (const [group, crds] of [...classGroups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const file = join(tmp, `${group}.yaml`);
      writeFileSync(file, crds.map((c) => yaml.dump(c, { noRefs: true })).join('---\n'));
      execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['import', file, '--language', 'typescript', '--output', importsDir, '--no-check-upgrade'],
        { stdio: ['ignore', 'ignore', 'inherit'], cwd: tmp, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(schemasDir, 'index.json'), `${JSON.stringify({ files: sorted(files), kinds: sorted(kinds) }, null, 1)}\n`);
}

const HELP = `Regenerates imports/ from the upstream files listed in cdk8s.yaml.

Usage: npm run import [-- --schemas-only]

  imports:            CRDs with typed classes (cdk8s import) in imports/<group>.ts and strict schemas
  schemas.crds:       CRDs with strict schemas only
  schemas.kubernetes: Kubernetes OpenAPI definitions (one per version; built-in kinds are validated
                      against each) plus the enum overlay ../shared/schemas/kubernetes/enums-v<version>.json

Strict schemas go to imports/schemas/ (index.json maps apiVersion/kind to them). A file is read from its
copy in ../shared when there is one (see ../shared/crds/SOURCES.md), otherwise from its URL. Commit the
result. --schemas-only rewrites imports/schemas/ and keeps the classes. To validate a new custom resource kind, add its CRD's upstream URL (at the pinned release) to
schemas.crds and run this.`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`import failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
