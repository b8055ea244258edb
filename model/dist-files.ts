/**
 * Reads synthesized output back as objects: dist/<env>/*.yaml from a folder or from a git revision.
 * Used by the platform tools (`npm run diff`, `capacity`, `diagram`), which work on what was synthesized,
 * never on settings, so they see exactly what Argo CD applies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../model/kube-object';
import { loadYamlStream } from './yaml-load';
import { compareText } from './text-order';

/** Environment name → its objects (files in name order, documents in file order). */
export type DistObjects = Map<string, KubeObject[]>;

/** The objects of a YAML document stream; empty documents are skipped. */
export function parseYamlStream(text: string, fileName = '<yaml>'): KubeObject[] {
  const docs = loadYamlStream(text, { filename: fileName });
  return docs.filter((d): d is KubeObject => typeof d === 'object' && d !== null && 'kind' in d);
}

/** Groups YAML texts keyed by `<env>/<file>.yaml` into objects per environment (sorted by env and file). */
export function objectsFromFiles(files: ReadonlyMap<string, string>): DistObjects {
  const out: DistObjects = new Map();
  for (const path of [...files.keys()].sort()) {
    const [env, file] = path.split('/');
    if (file === undefined || !/\.ya?ml$/.test(file)) continue;
    if (!out.has(env)) out.set(env, []);
    out.get(env)!.push(...parseYamlStream(files.get(path)!, path));
  }
  return new Map([...out].sort(([a], [b]) => compareText(a, b)));
}

/**
 * Reads every `<env>/*.yaml` below a dist folder (hidden folders such as `.tmp-*` are skipped).
 * With `inClusterOnly`, only the files the environment's own Argo CD Applications apply to its cluster
 * (see {@link inClusterFiles}): what runs on its nodes, without files an Application sends to another cluster.
 */
export function readDistDir(distDir: string, options: { inClusterOnly?: boolean } = {}): DistObjects {
  const files = new Map<string, string>();
  if (!existsSync(distDir)) return new Map();
  for (const env of readdirSync(distDir, { withFileTypes: true })) {
    if (!env.isDirectory() || env.name.startsWith('.')) continue;
    for (const file of readdirSync(join(distDir, env.name))) {
      if (/\.ya?ml$/.test(file)) files.set(`${env.name}/${file}`, readFileSync(join(distDir, env.name, file), 'utf8'));
    }
  }
  if (options.inClusterOnly) {
    for (const env of new Set([...files.keys()].map((k) => k.split('/')[0]))) {
      const names = [...files.keys()].filter((k) => k.startsWith(`${env}/`)).map((k) => k.slice(env.length + 1));
      // The Applications: the workloads one in gitops.yaml, the root one in argocd-admin.yaml.
      const gitops = ['gitops.yaml', 'argocd-admin.yaml'].filter((f) => names.includes(f)).flatMap((f) => parseYamlStream(files.get(`${env}/${f}`)!, `${env}/${f}`));
      const keep = inClusterFiles(env, names, gitops);
      for (const name of names) if (!keep.has(name)) files.delete(`${env}/${name}`);
    }
  }
  return objectsFromFiles(files);
}

const globs = new Map<string, RegExp>();

/** An Argo CD directory include/exclude glob (`*`, `?`, `{a,b}`) as a regular expression (made once per glob). */
export function globRegExp(glob: string): RegExp {
  let made = globs.get(glob);
  if (!made) globs.set(glob, (made = globToRegExp(glob)));
  return made;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') (re += '(?:', depth++);
    else if (ch === '}' && depth > 0) (re += ')', depth--);
    else if (ch === ',' && depth > 0) re += '|';
    else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files of `dist/<env>` that the environment's Argo CD Applications (in gitops.yaml and argocd-admin.yaml) apply to the
 * in-cluster destination (`https://kubernetes.default.svc`), by their `directory.include`/`exclude`. Files no
 * such Application selects are applied elsewhere (another cluster). Without
 * Applications for the folder every file counts.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/directory/#including-files
 */
export function inClusterFiles(env: string, files: readonly string[], gitops: readonly KubeObject[]): Set<string> {
  const apps = (gitops as ReadonlyArray<Record<string, any>>).filter((o) => o.kind === 'Application' && typeof o.spec?.source?.path === 'string' && o.spec.source.path.replace(/\/$/, '').endsWith(`/${env}`));
  if (apps.length === 0) return new Set(files);
  const keep = new Set<string>();
  for (const app of apps) {
    const dest = app.spec?.destination ?? {};
    if (dest.server !== 'https://kubernetes.default.svc' && dest.name !== 'in-cluster') continue;
    const include = app.spec.source.directory?.include;
    const exclude = app.spec.source.directory?.exclude;
    for (const f of files) {
      if (include && !globRegExp(include).test(f)) continue;
      if (exclude && globRegExp(exclude).test(f)) continue;
      keep.add(f);
    }
  }
  return keep;
}

/**
 * Reads `<distPath>/<env>/*.yaml` as committed at a git revision, without a checkout
 * (`git ls-tree` + `git cat-file --batch`). A revision without the folder gives no environments.
 * @see https://git-scm.com/docs/git-cat-file#_batch_output
 */
export function readDistAtRevision(repoRoot: string, revision: string, distPath = 'dist'): DistObjects {
  execFileSync('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'ignore'] });
  const listing = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', revision, '--', `${distPath}/`], { cwd: repoRoot, encoding: 'utf8' });
  const paths = listing.split('\0').filter((p) => /\.ya?ml$/.test(p) && p.split('/').length === distPath.split('/').length + 2);
  const files = new Map<string, string>();
  if (paths.length === 0) return new Map();
  const batch = execFileSync('git', ['cat-file', '--batch'], { cwd: repoRoot, input: paths.map((p) => `${revision}:${p}\n`).join(''), maxBuffer: 1 << 30 });
  let offset = 0;
  for (const path of paths) {
    const headerEnd = batch.indexOf(10, offset);
    const header = batch.subarray(offset, headerEnd).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new Error(`git cat-file: unexpected answer "${header}" for ${revision}:${path}`);
    files.set(path.slice(distPath.length + 1), batch.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return objectsFromFiles(files);
}
