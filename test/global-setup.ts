/**
 * vitest global setup: compiles (or loads from .build/schema-validators) the schema validators of every kind
 * in dist/ once, before the test workers start, so that parallel workers load them instead of each compiling
 * the same schemas (validation/schema.ts).
 */
import { DIST_DIR } from '../config/paths';
import { readDistDir } from '../model/dist-files';
import { prepareValidators } from '../validation/schema';

export default async function setup(): Promise<void> {
  const kinds = new Set([...readDistDir(DIST_DIR).values()].flat().map((o) => `${o.apiVersion}/${o.kind}`));
  await prepareValidators(kinds);
}
