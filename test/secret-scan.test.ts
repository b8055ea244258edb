import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { REPO_ROOT } from '../config/paths';
import { entropy, scanText } from '../validation/secret-scan';
import { credentialReason } from '../validation/rules/workload-policy';
import { ENVIRONMENTS } from './helpers';
import { renderEnvironment } from '../synth/render';
import { buildEnvironment } from '../charts/environment';
import { loadSettings } from '../config/load';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// Fixtures are assembled at runtime so that no secret-looking string is ever committed.
const fake = {
  awsKeyId: ['AK', 'IA', 'Q3EGRZ7KPL2MXVN4'].join(''),
  privateKey: ['-----BEGIN ', 'RSA PRIVATE', ' KEY-----'].join(''),
  jwt: ['ey', 'JhbGciOiJIUzI1NiJ9', '.ey', 'JzdWIiOiIxMjM0NTY3ODkwIn0', '.', 'c2lnbmF0dXJlLXZhbHVlLWhlcmU'].join(''),
  randomToken: ['q8Zr', '2XkP', '9vLm', 'T4wB', 'n7Yc'].join(''),
};

describe('secret scanner', () => {
  it('catches planted examples of every rule', () => {
    const planted = [
      'apiVersion: v1', 'kind: Secret', 'metadata: { name: leaked }', 'stringData:', '  password: hunter2', '---',
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: app }', 'spec:', '  template:', '    spec:', '      containers:',
      '        - name: app', '          env:',
      '            - { name: DB_PASSWORD, value: "correct horse battery" }',
      `            - { name: SOME_SETTING, value: "${fake.randomToken}" }`,
      `            - { name: AWS_ACCESS_KEY_ID_HERE, value: "${fake.awsKeyId}" }`,
      `          args: ["${fake.privateKey}", "--jwt=${fake.jwt}", "postgres://user:pw@db:5432/x"]`,
      '---',
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: c }', 'data:', `  apiToken: "${fake.randomToken}"`,
    ].join('\n');
    const rules = scanText('planted.yaml', planted).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'AWS access key id', 'private key', 'JSON Web Token', 'credentials in a URL',
      'literal value in a Secret (use an ExternalSecret)',
      'secret-like environment variable with a literal value (use secretKeyRef)',
      'high-entropy environment value',
      'high-entropy value under "apiToken"',
    ]));
  });

  it('does not flag references, names and ordinary values', () => {
    const clean = [
      'env:', '  - name: DATABASE_URL', '    valueFrom: { secretKeyRef: { name: finbot-app-secrets, key: database-url } }',
      '  - { name: REDIS_PASSWORD_FILE, value: /var/run/secrets/redis }', '  - { name: LOG_LEVEL, value: info }',
      'remoteRef: { key: finbot/redis, property: password }', 'secretKey: redis-password', 'passwordSecret: finbot-redis-password',
    ].join('\n');
    expect(scanText('clean.yaml', clean)).toEqual([]);
  });

  it('is the one detector: the file scan and the policy rule find the same patterns (the union of both former lists)', () => {
    const stripe = ['sk_', 'live_', 'Q3EGRZ7KPL2MXVN4abcd'].join('');
    const sessionKey = ['AS', 'IA', 'Q3EGRZ7KPL2MXVN4'].join('');
    const jwtOtherPayload = ['ey', 'JhbGciOiJIUzI1NiJ9', '.', 'c2Vjb25kLXBhcnQ', '.', 'c2lnbmF0dXJlLXZhbHVl'].join('');
    const urlWithQuote = ['redis://default:p', "'", 'w@cache:6379'].join('');
    for (const value of [stripe, sessionKey, jwtOtherPayload, urlWithQuote, fake.awsKeyId, fake.privateKey, fake.jwt]) {
      expect(scanText('x.txt', `config ${value}`), value).not.toEqual([]);
      expect(credentialReason('CONFIG', value), value).toContain('looks like a secret');
    }
  });

  it('entropy: random strings score high, words low', () => {
    expect(entropy(fake.randomToken)).toBeGreaterThan(3.5);
    expect(entropy('aaaaaaaaaaaaaaaa')).toBe(0);
  });
});

describe('no secrets in the repository output or settings', () => {
  it.each(ENVIRONMENTS)('%s: synthesized output (what dist/ holds)', (env) => {
    const findings = [...renderEnvironment(buildEnvironment(loadSettings(env)))].flatMap(([file, text]) => scanText(`${env}/${file}`, text));
    expect(findings).toEqual([]);
  });

  it('every file in dist/ and config/', () => {
    const roots = ['dist', 'config'].map((d) => join(REPO_ROOT, d));
    const all = roots.flatMap((r) => { try { return files(r); } catch { return []; } }).filter((f) => /\.(ya?ml|json|ts)$/.test(f));
    expect(all.length).toBeGreaterThan(4);
    const findings = all.flatMap((f) => scanText(relative(REPO_ROOT, f), readFileSync(f, 'utf8')));
    expect(findings).toEqual([]);
  });

  it('the output contains no Secret objects at all: every Secret comes from an ExternalSecret', () => {
    for (const env of ENVIRONMENTS) {
      const text = [...renderEnvironment(buildEnvironment(loadSettings(env))).values()].join('\n---\n');
      const kinds = yaml.loadAll(text).map((d) => (d as { kind?: string } | null)?.kind);
      expect(kinds).not.toContain('Secret');
    }
  });
});
