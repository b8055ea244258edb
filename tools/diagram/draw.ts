/**
 * Draws (or checks) the diagrams of environments from a synthesized output folder: the logic behind
 * `npm run diagram`, also run by the release commands after they re-synthesize an environment, so that the
 * committed docs/diagrams/<env>.svg follow dist/ (a promotion moves the live colour).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, REPO_ROOT } from '../../config/paths';
import { readDistDir } from '../../model/dist-files';
import { architecture } from './architecture';
import { renderDiagram } from './diagram';

/** The committed diagrams' folder. */
export const DIAGRAMS_DIR = join(REPO_ROOT, 'docs', 'diagrams');

/** What a run did: files written (or, with `check`, stale or missing), and diagrams of environments gone. */
export interface DrawResult {
  readonly written: readonly string[];
  readonly stale: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Draws `envs` (default: every environment of `dist`) into `out`. With `check`, writes nothing and lists
 * the diagrams that differ from what would be drawn. Without explicit `envs`, the diagrams of environments
 * no longer in `dist` are removed (or, with `check`, reported).
 */
export function drawDiagrams(options: { dist?: string; out?: string; envs?: readonly string[]; check?: boolean } = {}): DrawResult {
  const dist = options.dist ?? DIST_DIR;
  const out = options.out ?? DIAGRAMS_DIR;
  const objects = readDistDir(dist);
  const explicit = options.envs !== undefined && options.envs.length > 0;
  const selected = explicit ? options.envs! : [...objects.keys()];
  if (selected.length === 0) throw new Error(`no synthesized environments in ${dist}: run 'npm run synth' first`);
  const written: string[] = [];
  const stale: string[] = [];
  const removed: string[] = [];
  if (!options.check) mkdirSync(out, { recursive: true });
  for (const env of selected) {
    if (!objects.has(env)) throw new Error(`${env} is not in ${dist}: run 'npm run synth' first`);
    const svg = renderDiagram(env, architecture(objects.get(env)!));
    const file = join(out, `${env}.svg`);
    if (options.check) {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== svg) stale.push(file);
    } else {
      writeFileSync(file, svg);
      written.push(file);
    }
  }
  if (!explicit && existsSync(out)) {
    for (const f of readdirSync(out)) {
      if (!f.endsWith('.svg') || objects.has(f.slice(0, -4))) continue;
      removed.push(join(out, f));
      if (!options.check) rmSync(join(out, f));
    }
  }
  return { written, stale, removed };
}
