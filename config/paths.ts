/** Locations inside the repository, valid both from sources (tsx) and from the bundle in .build/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'cdk8s.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root (cdk8s.yaml) above ${start}`);
    dir = up;
  }
  return dir;
}

/** The repository root (the folder holding cdk8s.yaml). */
export const REPO_ROOT = findRoot(import.meta.dirname);
/** config/environments. */
export const ENVIRONMENTS_DIR = join(REPO_ROOT, 'config', 'environments');
/** dist/. */
export const DIST_DIR = join(REPO_ROOT, 'dist');
