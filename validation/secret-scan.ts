/**
 * Finds secret-looking values in text files (YAML output and settings): cloud keys, private keys, JWTs,
 * values of Secret `data`/`stringData`, passwords/tokens in env values, and high-entropy strings under
 * suspicious keys. Names and references (secretKeyRef, remoteRef) are fine; values are not.
 */
import * as yaml from 'js-yaml';

/** One finding: where and why (never the value itself, so reports do not leak it). */
export interface SecretFinding {
  readonly file: string;
  readonly where: string;
  readonly rule: string;
}

/**
 * Values that are credentials whatever the key that holds them: the one list of secret patterns, used here
 * on every line of a file and by the policy rule on env values and custom resource fields
 * (validation/rules/workload-policy.ts). `what` names the finding.
 */
export const SECRET_VALUE_PATTERNS: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'AWS access key id', pattern: /(AKIA|ASIA)[0-9A-Z]{16}/ },
  { what: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/ },
  { what: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'Stripe secret key', pattern: /\bsk_live_[A-Za-z0-9]{16,}/ },
  { what: 'credentials in a URL', pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

/** Keys whose value must never be a literal. */
const SUSPICIOUS_KEY = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|access[-_]?key)/i;
/** Values that are obviously references, not secrets. */
const HARMLESS_VALUE = /^(|true|false|[0-9]+|\$\{[A-Za-z0-9_.-]+\}|<[^>]*>|[a-z0-9]([-a-z0-9.]*[a-z0-9])?|\/[A-Za-z0-9_./-]*)$/;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * True for a string that looks random enough to be a key (long, mixed, high entropy). URLs, host names and
 * paths (with `:` `.` or a leading `/`) are not keys.
 */
export function looksRandom(s: string): boolean {
  return s.length >= 16 && !/[:.]/.test(s) && !s.startsWith('/') && !/\s/.test(s) && entropy(s) >= 3.5 && /[0-9]/.test(s) && /[A-Za-z]/.test(s);
}

function walk(node: unknown, path: string, visit: (path: string, key: string, value: unknown, parent: unknown) => void, key = '', parent: unknown = undefined): void {
  visit(path, key, node, parent);
  if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}[${i}]`, visit, key, node));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k, visit, k, node);
  }
}

function scanDocument(file: string, doc: unknown, index: number, out: SecretFinding[]): void {
  if (!doc || typeof doc !== 'object') return;
  const obj = doc as { kind?: string; metadata?: { name?: string }; data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const id = obj.kind ? `${obj.kind} ${obj.metadata?.name ?? ''}` : `document ${index + 1}`;
  if (obj.kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      for (const k of Object.keys(obj[field] ?? {})) out.push({ file, where: `${id} ${field}.${k}`, rule: 'literal value in a Secret (use an ExternalSecret)' });
    }
  }
  walk(doc, '', (path, key, value, parent) => {
    if (typeof value !== 'string') return;
    // env: [{ name: DB_PASSWORD, value: ... }]
    if (key === 'value' && parent && typeof parent === 'object' && 'name' in parent) {
      const name = String((parent as { name: unknown }).name);
      if (SUSPICIOUS_KEY.test(name) && !HARMLESS_VALUE.test(value)) out.push({ file, where: `${id} ${path} (${name})`, rule: 'secret-like environment variable with a literal value (use secretKeyRef)' });
      else if (looksRandom(value)) out.push({ file, where: `${id} ${path} (${name})`, rule: 'high-entropy environment value' });
      return;
    }
    if (SUSPICIOUS_KEY.test(key) && !HARMLESS_VALUE.test(value) && looksRandom(value)) {
      out.push({ file, where: `${id} ${path}`, rule: `high-entropy value under "${key}"` });
    }
  });
}

/** Findings in one text file; YAML files are also parsed and inspected structurally. */
export function scanText(file: string, text: string): SecretFinding[] {
  const out: SecretFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const { what, pattern } of SECRET_VALUE_PATTERNS) if (pattern.test(line)) out.push({ file, where: `line ${i + 1}`, rule: what });
  });
  if (/\.ya?ml$/.test(file)) {
    let docs: unknown[] = [];
    try {
      docs = yaml.loadAll(text);
    } catch {
      docs = [];
    }
    docs.forEach((d, i) => scanDocument(file, d, i, out));
  }
  return out;
}
