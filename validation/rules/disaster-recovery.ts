/**
 * Across the two environments of a disaster-recovery pair (settings platform.yaml `dr.peer`; the peer's output is
 * given to the rule as `options.peer`): exactly one Postgres primary, both clusters agreeing on it, and no
 * environment using the other's Vault, buckets, KMS keys or hosts — except the one declared replication source,
 * the ObjectStore behind the CloudNativePG `externalClusters` entry of the peer. What CNPG makes of `spec.replica`
 * is read from model/operators/cloudnative-pg.ts (`cnpgIsReplica`, `CNPG_FENCING`).
 */
import { CNPG_FENCING, cnpgIsReplica } from '../../model/operators/cloudnative-pg';
import { eachString, finding, type Rule } from '../rule';
import type { Finding, KubeObject, SourcedObject } from '../types';

interface CnpgCluster {
  readonly source: SourcedObject;
  readonly name: string;
  readonly replica?: { enabled?: boolean; primary?: string; self?: string; source?: string };
  readonly externalClusters: ReadonlyArray<{ name: string; plugin?: { parameters?: Record<string, string> } }>;
  readonly fenced: boolean;
}

function cnpgClusters(objects: readonly SourcedObject[]): CnpgCluster[] {
  return objects
    .filter((s) => s.object.kind === 'Cluster' && s.object.apiVersion.startsWith('postgresql.cnpg.io/'))
    .map((s) => {
      const spec = (s.object as { spec?: Record<string, unknown> }).spec ?? {};
      return {
        source: s,
        name: s.object.metadata.name ?? '',
        replica: spec.replica as CnpgCluster['replica'],
        externalClusters: (spec.externalClusters ?? []) as CnpgCluster['externalClusters'],
        fenced: (s.object.metadata.annotations ?? {})[CNPG_FENCING.annotation] === CNPG_FENCING.all,
      };
    });
}

/** A cluster that accepts writes: not a replica by CNPG's rule, not fenced. */
function writable(c: CnpgCluster): boolean {
  return !cnpgIsReplica(c.name, c.replica) && !c.fenced;
}

function bucketOf(path: unknown): string | undefined {
  return typeof path === 'string' ? /^s3:\/\/([^/]+)/.exec(path)?.[1] : undefined;
}

function objectStores(objects: readonly SourcedObject[]): Map<string, SourcedObject> {
  return new Map(objects
    .filter((s) => s.object.kind === 'ObjectStore' && s.object.apiVersion.startsWith('barmancloud.cnpg.io/'))
    .map((s) => [`${s.object.metadata.namespace}/${s.object.metadata.name}`, s]));
}

/** The ObjectStores the cluster reads as its peer's archive (`externalClusters` entries other than itself). */
function replicationSources(objects: readonly SourcedObject[]): Set<SourcedObject> {
  const stores = objectStores(objects);
  const out = new Set<SourcedObject>();
  for (const c of cnpgClusters(objects)) {
    const self = c.replica?.self || c.name;
    for (const e of c.externalClusters) {
      const store = e.plugin?.parameters?.barmanObjectName;
      const s = store && e.name !== self ? stores.get(`${c.source.object.metadata.namespace}/${store}`) : undefined;
      if (s) out.add(s);
    }
  }
  return out;
}

/** Adds the value of each environment variable named in `into` (`env: [{ name, value }]`, at any depth) to its set. */
function envValues(value: unknown, into: Readonly<Record<string, Set<string>>>): void {
  if (Array.isArray(value)) for (const v of value) envValues(v, into);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'env' && Array.isArray(v)) for (const e of v) if (typeof e?.value === 'string' && Object.hasOwn(into, e.name)) into[e.name].add(e.value);
      envValues(v, into);
    }
  }
}

/**
 * What an environment's output owns: its public or regional host names (routes, Gateway listeners, Ingresses,
 * certificates — the Vault's address among them), the buckets it writes (its WAL archive, the snapshot jobs'
 * BUCKET) and its KMS keys (KMS_KEY_ID, Vault's awskms seal).
 */
export function ownedIdentifiers(objects: readonly SourcedObject[]): { hosts: Set<string>; buckets: Set<string>; kmsKeys: Set<string> } {
  const hosts = new Set<string>();
  const buckets = new Set<string>();
  const kmsKeys = new Set<string>();
  const sources = replicationSources(objects);
  // Names outside the cluster: at least three labels (api.finbot.com), not a Service's (<svc>.<ns>.svc...).
  const external = (h: unknown) => typeof h === 'string' && h.split('.').length >= 3 && !/\.svc(\.|$)|\.local$|^\*/.test(h);
  for (const s of objects) {
    const o = s.object as KubeObject & { spec?: any };
    const spec = o.spec ?? {};
    if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') for (const h of spec.hostnames ?? []) if (external(h)) hosts.add(h);
    if (o.kind === 'Gateway') for (const l of spec.listeners ?? []) if (external(l.hostname)) hosts.add(l.hostname);
    if (o.kind === 'Ingress') for (const r of spec.rules ?? []) if (external(r.host)) hosts.add(r.host);
    if (o.kind === 'Certificate') for (const h of [spec.commonName, ...(spec.dnsNames ?? [])]) if (external(h)) hosts.add(h);
    if (o.kind === 'ObjectStore' && !sources.has(s)) {
      const b = bucketOf(spec.configuration?.destinationPath);
      if (b) buckets.add(b);
    }
    envValues(o, { BUCKET: buckets, KMS_KEY_ID: kmsKeys });
    eachString(o, (v) => {
      if (v.includes('kms_key_id')) for (const m of v.matchAll(/kms_key_id\s*=\s*"([^"]+)"/g)) kmsKeys.add(m[1]);
    });
  }
  return { hosts, buckets, kmsKeys };
}

/** A test whether a text mentions `id` as a whole name (not as part of a longer host, bucket or key name). */
function mentionOf(id: string): (text: string) => boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const whole = new RegExp(`(^|[^A-Za-z0-9.-])${escaped}($|[^A-Za-z0-9.-])`);
  return (text) => text.includes(id) && whole.test(text);
}

/** Rules across the environments of a disaster-recovery pair (ids `dr/*`). */
export const disasterRecoveryRules: readonly Rule[] = [
  {
    id: 'dr/one-primary',
    description: 'A disaster-recovery pair has exactly one writable Postgres primary, and both CloudNativePG clusters name the same primary.',
    fix: 'Change the primary only with npm run failover / npm run failback, which edit both environments in one commit.',
    check: (ctx) => {
      const peer = ctx.options.peer;
      if (!peer) return [];
      const mine = cnpgClusters(ctx.objects).filter((c) => c.replica);
      const theirs = cnpgClusters(peer.objects).filter((c) => c.replica);
      const out: Finding[] = [];
      for (const c of mine) {
        const partner = theirs.find((t) => c.externalClusters.some((e) => e.name === (t.replica?.self || t.name)));
        if (!partner) {
          out.push(finding(c.source, 'spec.externalClusters', `no Cluster of ${peer.environment} is among the external clusters of ${c.name} (${c.externalClusters.map((e) => e.name).join(', ') || 'none'}): the distributed topology has no peer`));
          continue;
        }
        const primaries = [c, partner].filter(writable).map((x) => x.name);
        if (primaries.length !== 1) {
          out.push(finding(c.source, 'spec.replica', `${primaries.length} writable primaries across ${ctx.options.environment ?? 'this environment'} and ${peer.environment} (${primaries.join(', ') || 'none'}): exactly one cluster of the pair may accept writes`));
        }
        if (c.replica?.primary !== partner.replica?.primary) {
          out.push(finding(c.source, 'spec.replica.primary', `${c.name} names primary "${c.replica?.primary}", ${partner.name} in ${peer.environment} names "${partner.replica?.primary}": both must name the same primary`));
        }
        if (c.replica?.source !== (partner.replica?.self || partner.name)) {
          out.push(finding(c.source, 'spec.replica.source', `${c.name} replicates from "${c.replica?.source}", not from the peer ${partner.name} of ${peer.environment}`));
        }
      }
      return out;
    },
  },
  {
    id: 'dr/no-cross-environment-references',
    description: 'No environment of a disaster-recovery pair references the other\'s hosts, buckets, KMS keys or Vault, except the ObjectStore of the declared replication source.',
    fix: 'Give each region its own hosts, buckets, KMS keys and Vault in its settings; only data.yaml postgres.replication.peer names the peer\'s archive.',
    check: (ctx) => {
      const peer = ctx.options.peer;
      if (!peer) return [];
      const owned = ownedIdentifiers(peer.objects);
      const ids = [
        ...[...owned.hosts].map((id) => ['host', id] as const),
        ...[...owned.buckets].map((id) => ['bucket', id] as const),
        ...[...owned.kmsKeys].map((id) => ['KMS key', id] as const),
      ].map(([what, id]) => [what, id, mentionOf(id)] as const);
      const allowed = replicationSources(ctx.objects);
      const out: Finding[] = [];
      for (const s of ctx.objects) {
        if (allowed.has(s)) continue;
        eachString(s.object, (v, path) => {
          const hit = ids.find(([, , mentioned]) => mentioned(v));
          if (hit) out.push(finding(s, path(), `references ${hit[0]} ${hit[1]} of ${peer.environment} ("${v.length > 80 ? `${v.slice(0, 77)}...` : v}")`));
        });
      }
      return out;
    },
  },
];
