/**
 * Every bad setting of issue #18 (and more), through the synth command itself (main.ts `cli`, in-process): exit
 * code 1, one message naming environment, file and field, no stack trace, and dist/ byte-identical.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR } from '../../config/paths';
import { cli } from '../../main';
import { copyEnvironments } from '../helpers';

let config: string;
let dist: string;
let outside: string;

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'latin1');
  }
  return out;
}

beforeAll(() => {
  config = copyEnvironments();
  dist = mkdtempSync(join(tmpdir(), 'finbot-bad-dist-'));
  cpSync(DIST_DIR, dist, { recursive: true });
  outside = mkdtempSync(join(tmpdir(), 'finbot-outside-'));
});
afterAll(() => {
  for (const d of [config, dist, outside]) rmSync(d, { recursive: true, force: true });
});

/** A breakage of the scratch settings; returns how to undo it. */
type Break = () => () => void;

function replace(env: string, section: string, from: string | RegExp, to: string): Break {
  return () => {
    const file = join(config, env, `${section}.yaml`);
    const text = readFileSync(file, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`nothing to replace in ${file}: ${String(from)}`);
    writeFileSync(file, next);
    return () => writeFileSync(file, text);
  };
}

interface Case {
  readonly name: string;
  readonly break: Break;
  readonly env: string;
  /** File name the message must name. */
  readonly file: string;
  /** YAML path the message must name ('' for a file-level problem). */
  readonly field: string;
  /** A piece of the explanation. */
  readonly says: string | RegExp;
}

const long = (n: number, c = 'a') => c.repeat(n);
/** web's image tag in apps.yaml, whatever a release set it to ($1: everything before the tag). */
const WEB_TAG = /(finbot\/web, tag: )[^ }]+/;
const WORKER = `    image: { registry: docker.io, repository: finbot/worker, tag: v4.0.0 }
    metricsPort: 9090
    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 200m, memory: 256Mi } }
    autoscaling: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 70, scaleDown: { stabilizationWindowSeconds: 300, percentPerMinute: 10 }, scaleUp: { stabilizationWindowSeconds: 60, percentPerMinute: 50 } }
    livenessProbe: { path: /healthz, initialDelaySeconds: 30, periodSeconds: 10 }
    readinessProbe: { path: /ready, initialDelaySeconds: 5, periodSeconds: 10 }
`;
const extraWorker = (name: string): Break => () => {
  const file = join(config, 'staging', 'apps.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, `${text}extraWorkers:\n  ${name}:\n${WORKER}`);
  return () => writeFileSync(file, text);
};

const CASES: Case[] = [
  // Accepted before, invalid Kubernetes output.
  { name: 'image tag of 100 characters (the version label allows 63)', break: replace('production', 'apps', WEB_TAG, `$1v${long(99, '1')}`), env: 'production', file: 'apps.yaml', field: 'web.image.tag', says: 'app.kubernetes.io/version label' },
  { name: 'image tag starting with "_"', break: replace('production', 'apps', WEB_TAG, '$1_v4'), env: 'production', file: 'apps.yaml', field: 'web.image.tag', says: 'starting and ending with a letter or digit' },
  { name: 'extra worker name of 60 characters', break: extraWorker(long(60)), env: 'staging', file: 'apps.yaml', field: 'extraWorkers', says: 'the longest name made from it adds 15 characters' },
  { name: 'postgres.name of 62 characters', break: replace('production', 'data', 'name: finbot-postgres-primary', `name: p${long(61)}`), env: 'production', file: 'data.yaml', field: 'postgres.name', says: 'CloudNativePG refuses longer cluster names' },
  { name: 'redis name too long for the operator\'s derived names', break: replace('production', 'data', 'name: finbot-redis-cluster', `name: r${long(44)}`), env: 'production', file: 'data.yaml', field: 'redis.name', says: 'adds 20 characters' },
  { name: 'ingressClassName "Public NGINX!"', break: replace('staging', 'edge', /ingressClassName: .*/, 'ingressClassName: "Public NGINX!"'), env: 'staging', file: 'edge.yaml', field: 'ingressNginx.ingressClassName', says: 'DNS-1123 subdomain' },
  { name: 'backup schedule "99 0 25 * * *"', break: replace('production', 'data', 'schedule: "0 0 2 * * *"', 'schedule: "99 0 25 * * *"'), env: 'production', file: 'data.yaml', field: 'postgres.backup.schedule', says: 'End of range (99) above maximum (59)' },
  { name: 'five-field backup schedule', break: replace('production', 'data', 'schedule: "0 0 2 * * *"', 'schedule: "0 2 * * *"'), env: 'production', file: 'data.yaml', field: 'postgres.backup.schedule', says: 'has 5 fields' },
  { name: 'CIDR 999.245.48.0/20', break: replace('production', 'edge', '173.245.48.0/20', '999.245.48.0/20'), env: 'production', file: 'edge.yaml', field: 'cdn.cidrs[0]', says: 'octets 0-255' },
  { name: 'image registry ".."', break: replace('production', 'apps', 'registry: docker.io, repository: finbot/web', 'registry: "..", repository: finbot/web'), env: 'production', file: 'apps.yaml', field: 'web.image.registry', says: 'must be a registry host' },
  { name: 'image registry without a dot (read as a docker.io path)', break: replace('production', 'apps', 'registry: docker.io, repository: finbot/web', 'registry: finbot, repository: finbot/web'), env: 'production', file: 'apps.yaml', field: 'web.image.registry', says: 'a "." or a port' },
  { name: 'Vault port 99999', break: replace('production', 'secrets', 'apiAddr: https://vault.finbot.com:8200', 'apiAddr: https://vault.finbot.com:99999'), env: 'production', file: 'secrets.yaml', field: 'vault.apiAddr', says: 'port 99999 is not a port' },
  // Accepted by synth, caught only by validate.
  { name: 'maxReplicas 3000000000 (int32 overflow)', break: replace('production', 'apps', /maxReplicas: \d+/, 'maxReplicas: 3000000000'), env: 'production', file: 'apps.yaml', field: 'api.autoscaling.maxReplicas', says: 'int32' },
  { name: 'cache namespace equal to the database namespace', break: replace('production', 'platform', 'cache: cache', 'cache: database'), env: 'production', file: 'platform.yaml', field: 'namespaces.cache', says: 'is also namespaces.database' },
  // Refused before, without file or field.
  { name: 'istioInjection false', break: replace('staging', 'platform', 'istioInjection: true', 'istioInjection: false'), env: 'staging', file: 'platform.yaml', field: 'istioInjection', says: 'STRICT mTLS' },
  { name: 'node group minSize below the zone count', break: replace('production', 'cluster', 'minSize: 3', 'minSize: 2'), env: 'production', file: 'cluster.yaml', field: 'nodeGroups.minSize', says: 'below the number of zones' },
  { name: 'extra worker named api', break: extraWorker('api'), env: 'staging', file: 'apps.yaml', field: 'extraWorkers.api', says: 'is a component of apps.yaml already' },
  { name: 'extra worker named web-metrics', break: extraWorker('web-metrics'), env: 'staging', file: 'apps.yaml', field: 'extraWorkers.web-metrics', says: 'could collide' },
  { name: 'standby alert receiver that is not a receiver', break: replace('production-dr', 'platform', 'alertReceivers: [chat]', 'alertReceivers: [slack]'), env: 'production-dr', file: 'platform.yaml', field: 'dr.standby.alertReceivers[0]', says: 'unknown receiver "slack"' },
  { name: 'standby alerts to the heartbeat receiver', break: replace('production-dr', 'platform', 'alertReceivers: [chat]', 'alertReceivers: [heartbeat]'), env: 'production-dr', file: 'platform.yaml', field: 'dr.standby.alertReceivers[0]', says: 'heartbeat receiver' },
  { name: 'equal API and web hosts', break: replace('production', 'edge', 'web: app.finbot.com', 'web: api.finbot.com'), env: 'production', file: 'edge.yaml', field: 'hosts.web', says: 'is also hosts.api' },
  { name: 'probe interval 1s', break: replace('production', 'gitops', 'interval: 60s', 'interval: 1s'), env: 'production', file: 'gitops.yaml', field: 'probes.interval', says: 'scrape timeout' },
  { name: 'Elasticsearch nodeCount 2', break: replace('production', 'observability', 'nodeCount: 3', 'nodeCount: 2'), env: 'production', file: 'observability.yaml', field: 'tracing.elasticsearch.nodeCount', says: 'cannot elect a master' },
  { name: 'Istio maxConnections over int32', break: replace('production', 'mesh', 'maxConnections: 1000', 'maxConnections: 2147483648'), env: 'production', file: 'mesh.yaml', field: 'connectionPool.maxConnections', says: 'int32' },
  { name: 'Prometheus retention 12h7d', break: replace('production', 'observability', 'retention: 30d', 'retention: 12h7d'), env: 'production', file: 'observability.yaml', field: 'prometheus.retention', says: 'in the order y, w, d, h, m, s, ms' },
  // Settings that have no effect (issue #19).
  { name: 'replicas while an HPA manages the Deployment', break: replace('production', 'apps', '  port: 3001', '  replicas: 7\n  port: 3001'), env: 'production', file: 'apps.yaml', field: 'api.replicas', says: 'has no effect: an HPA manages this Deployment' },
  // Files.
  {
    name: 'a byte that is not UTF-8',
    break: () => {
      const file = join(config, 'production', 'mesh.yaml');
      const bytes = readFileSync(file);
      writeFileSync(file, Buffer.concat([bytes.subarray(0, 10), Buffer.from([0xe9]), bytes.subarray(10)]));
      return () => writeFileSync(file, bytes);
    },
    env: 'production', file: 'mesh.yaml', field: '', says: 'is not UTF-8: byte 0xe9 at byte offset 10',
  },
  {
    name: 'apps.yaml next to apps.yml',
    break: () => {
      const file = join(config, 'staging', 'apps.yml');
      cpSync(join(config, 'staging', 'apps.yaml'), file);
      return () => rmSync(file);
    },
    env: 'staging', file: 'apps.yml', field: '', says: 'keep exactly one of apps.yaml and apps.yml',
  },
  {
    name: 'a settings file that is a symlink out of the repository',
    break: () => {
      const file = join(config, 'staging', 'edge.yaml');
      const target = join(outside, 'edge.yaml');
      cpSync(file, target);
      const text = readFileSync(file);
      rmSync(file);
      symlinkSync(target, file);
      return () => {
        rmSync(file);
        writeFileSync(file, text);
      };
    },
    env: 'staging', file: 'edge.yaml', field: '', says: 'outside the repository',
  },
  {
    name: 'a settings path that is a directory',
    break: () => {
      const file = join(config, 'staging', 'mesh.yaml');
      const text = readFileSync(file);
      rmSync(file);
      mkdirSync(file);
      return () => {
        rmSync(file, { recursive: true });
        writeFileSync(file, text);
      };
    },
    env: 'staging', file: 'mesh.yaml', field: '', says: 'is a directory, not a settings file',
  },
  {
    name: 'a dangling symlink',
    break: () => {
      const file = join(config, 'staging', 'mesh.yaml');
      const text = readFileSync(file);
      rmSync(file);
      symlinkSync(join(config, 'staging', 'nothing-here.yaml'), file);
      return () => {
        rmSync(file);
        writeFileSync(file, text);
      };
    },
    env: 'staging', file: 'mesh.yaml', field: '', says: 'a file that does not exist',
  },
  { name: 'a zone that is not an availability zone', break: replace('production', 'platform', 'us-west-2a', 'us-west-2'), env: 'production', file: 'platform.yaml', field: 'zones[0]', says: 'availability zone' },
  { name: 'a validation connection port 70000', break: replace('production', 'validation', /^connections:( \[\])?$/m, 'connections:\n  - { from: "peer:kube-dns", to: "production/finbot-api", port: 70000 }'), env: 'production', file: 'validation.yaml', field: 'connections[0].port', says: 'between 1 and 65535' },
];

async function run(args: string[] = []) {
  let out = '';
  let err = '';
  const code = await cli(args, { env: { FINBOT_CONFIG_DIR: config, FINBOT_DIST_DIR: dist }, out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe('bad settings are refused through the synth command', () => {
  let before: Record<string, string>;
  beforeAll(() => {
    before = readTree(dist);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const undo = c.break();
    let r;
    try {
      r = await run();
    } finally {
      undo();
    }
    expect(r.code, r.err).toBe(1);
    const line = r.err.split('\n').find((l) => l.includes(`${c.env}: `) && l.includes(c.file));
    expect(line, r.err).toBeDefined();
    if (c.field) expect(line).toContain(`${c.file}: ${c.field}`);
    if (typeof c.says === 'string') expect(r.err).toContain(c.says);
    else expect(r.err).toMatch(c.says);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.err).toContain('dist/ was left unchanged');
    expect(r.out).toBe('');
    expect(readTree(dist)).toEqual(before);
  });

  it('a YAML field carries its line and column', async () => {
    const undo = replace('production', 'mesh', 'maxConnections: 1000', 'maxConnections: 2147483648')();
    const r = await run();
    undo();
    const lines = readFileSync(join(config, 'production', 'mesh.yaml'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('maxConnections:')) + 1;
    expect(r.err).toContain(`(line ${line}, column ${lines[line - 1].indexOf('maxConnections') + 1})`);
  });

  it('every problem of every environment is reported in one run', async () => {
    const undos = [
      replace('production', 'mesh', 'maxConnections: 1000', 'maxConnections: 2147483648')(),
      replace('production', 'edge', '173.245.48.0/20', '999.245.48.0/20')(),
      replace('staging', 'platform', 'istioInjection: true', 'istioInjection: false')(),
    ];
    const r = await run();
    for (const u of undos) u();
    expect(r.code).toBe(1);
    expect(r.err).toContain('invalid settings (3 problems)');
    expect(r.err).toContain('mesh.yaml: connectionPool.maxConnections');
    expect(r.err).toContain('edge.yaml: cdn.cidrs[0]');
    expect(r.err).toContain('staging/platform.yaml: istioInjection');
    expect(readTree(dist)).toEqual(before);
  });

  it('values at the limits are accepted, and the output passes the checks of npm run validate', async () => {
    const atLimit = mkdtempSync(join(tmpdir(), 'finbot-limit-dist-'));
    const digest = `v4.1.0@sha256:${'0123456789abcdef'.repeat(4)}`;
    const undos = [
      extraWorker(`w${long(63 - 15 - 1)}`)(),
      replace('staging', 'apps', WEB_TAG, `$1${digest}`)(),
      replace('staging', 'apps', /(finbot\/worker, tag: )[^ }]+/, `$1v${long(62, '1')}`)(),
      replace('staging', 'release', /(green: \{ tag: )[^ }]+/, `$1"${digest}"`)(),
      replace('staging', 'data', 'name: finbot-postgres-primary', `name: p${long(49)}`)(),
      replace('staging', 'data', 'name: finbot-redis-cluster', `name: r${long(42)}`)(),
    ];
    try {
      let err = '';
      const r = await cli(['staging'], { env: { ...process.env, FINBOT_CONFIG_DIR: config, FINBOT_DIST_DIR: atLimit }, out: () => {}, err: (s) => { err += s; } });
      expect(r, err).toBe(0);
      const apps = readFileSync(join(atLimit, 'staging', 'apps.yaml'), 'utf8');
      expect(apps).toContain(`image: docker.io/finbot/web:${digest}`);
      expect(apps).toContain('app.kubernetes.io/version: v4.1.0');
      expect(apps).toContain(`name: finbot-w${long(47)}-metrics`);
    } finally {
      for (const u of undos.reverse()) u();
      rmSync(atLimit, { recursive: true, force: true });
    }
  }, 300_000);
});
