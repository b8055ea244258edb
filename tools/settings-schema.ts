/**
 * Writes config/settings.schema.json (JSON Schema of the settings model) for editors: each settings file
 * points at `#/properties/<section>` through a yaml-language-server comment.
 * `--check` exits 1 when the committed file is out of date (CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../config/paths';
import { settingsSchema } from '../config/schema';

/** The JSON Schema text of the settings model. */
export function settingsJsonSchema(): string {
  const schema = z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'FinBot environment settings' }, null, 2)}\n`;
}

const file = join(REPO_ROOT, 'config', 'settings.schema.json');
if (process.argv[1] && import.meta.filename === process.argv[1] && (process.argv.includes('--help') || process.argv.includes('-h'))) {
  process.stdout.write('Writes config/settings.schema.json (JSON Schema of the settings model, for editors).\n\nUsage: npm run schema [-- --check]\n\n  --check  exit 1 when the committed file is out of date (CI) instead of writing it\n');
  process.exit(0);
}
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const text = settingsJsonSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(file, 'utf8') !== text) {
      process.stderr.write('config/settings.schema.json is out of date: run `npm run schema` and commit it\n');
      process.exit(1);
    }
  } else {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
