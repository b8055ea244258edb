/**
 * Every environment writes its backups into a bucket of its own (settings data.yaml `backups.bucket`): staging once
 * wrote into production's bucket, so staging's credentials needed write access to production's backups. The
 * buckets an environment writes are read from its output (its WAL archive ObjectStores, the snapshot jobs'
 * BUCKET: `ownedIdentifiers`, shared with the dr/ rules); the declared replication source is read, not written,
 * and does not count.
 */
import { finding, type Rule } from '../rule';
import type { Finding } from '../types';
import { ownedIdentifiers } from './disaster-recovery';

export const ownBackupBucketRule: Rule = {
  id: 'data/own-backup-bucket',
  description: 'An environment writes backups (WAL archive, base backups, Redis and Vault snapshots) only into a bucket no other environment owns.',
  fix: 'Give each environment its own bucket in data.yaml backups.bucket and write every backup below it; only data.yaml postgres.replication.peer may name another environment\'s archive (read only).',
  check: (ctx) => {
    const others = ctx.options.otherBackupBuckets ?? {};
    const owner = new Map(Object.entries(others).map(([env, bucket]) => [bucket, env]));
    if (owner.size === 0) return [];
    const { buckets } = ownedIdentifiers(ctx.objects);
    const out: Finding[] = [];
    for (const s of ctx.objects) {
      const text = JSON.stringify(s.object);
      for (const b of buckets) {
        const env = owner.get(b);
        if (env !== undefined && (text.includes(`s3://${b}/`) || text.includes(`"${b}"`))) {
          out.push(finding(s, '', `writes backups into bucket ${b}, which belongs to environment ${env}: each environment writes only into its own bucket`));
        }
      }
    }
    return out;
  },
};
