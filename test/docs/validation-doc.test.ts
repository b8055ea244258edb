/**
 * docs/validation.md lists exactly the rules `npm run validate` runs (issue #19: the document described
 * rules twice and missed the traffic rules).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config/paths';
import { RULES } from '../../validation/registry';

/** Rule ids in the first cell of the document's table rows (`| \`scope/name\` | … |`). */
export function documentedRules(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([a-z0-9-]+\/[a-z0-9-]+)` \|/gm)].map((m) => m[1]);
}

describe('docs/validation.md', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'validation.md'), 'utf8');

  it('has one row per rule of validation/registry.ts, and no row for a rule that does not exist', () => {
    const listed = documentedRules(doc);
    const dupes = listed.filter((id, i) => listed.indexOf(id) !== i);
    expect(dupes, 'rules listed twice').toEqual([]);
    expect([...listed].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('the rule table is one Markdown table (no blank line splits it)', () => {
    const rows = doc.split('\n').map((l, i) => ({ l, i })).filter(({ l }) => /^\| `[a-z0-9-]+\/[a-z0-9-]+` \|/.test(l));
    for (let k = 1; k < rows.length; k++) if (rows[k].i !== rows[k - 1].i + 1) expect(doc.split('\n').slice(rows[k - 1].i + 1, rows[k].i).every((l) => l.startsWith('|')), `line ${rows[k].i}`).toBe(true);
  });

  it('a missing or duplicated rule fails', () => {
    const broken = `${doc}\n| \`netpol/reachability\` | again | x |\n`.replace(/^\| `traffic\/no-replayed-writes` \|.*\n/m, '');
    const listed = documentedRules(broken);
    expect(listed.filter((id) => id === 'netpol/reachability').length).toBe(2);
    expect(listed).not.toContain('traffic/no-replayed-writes');
  });
});
