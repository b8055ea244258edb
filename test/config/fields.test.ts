/** The shared field rules (config/fields.ts): each rule against the limits of the field it types. */
import { describe, expect, it } from 'vitest';
import {
  cidr, cnpgSchedule, dnsLabel, goDuration, httpsUrl, imageRepository, imageTag, int32, INT32_MAX, labelValue, port, promDuration, registryHost, robfigCronError, tagOf,
} from '../../config/fields';
import { invalidUtf8Offset } from '../../config/load';
import { EXTRA_WORKER_RESERVED, extraWorkerNameClash } from '../../config/schema';
import { imageTagSchema } from '../../config/sections/release';
import { pathKey, yamlPositions } from '../../config/yaml-positions';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => schema.safeParse(v).success;
const HEX = 'a'.repeat(64);

describe('robfig/cron v1.2.0 as CloudNativePG v1.30.0 parses ScheduledBackup schedules', () => {
  // Mirrors robfig/cron v1.2.0 parser_test.go TestRange (bounds as in spec.go), through whole six-field specs.
  it.each([
    ['5--5 * * * * *', 'Too many hyphens'],
    ['jan-x * * * * *', 'Failed to parse int from'],
    ['*/-12 * * * * *', 'Negative number'],
    ['*//2 * * * * *', 'Too many slashes'],
    ['0 0 0 0 * *', 'below minimum'],
    ['99 0 25 * * *', 'End of range (99) above maximum (59)'],
    ['0 0 25 * * *', 'End of range (25) above maximum (23)'],
    ['0 5-3 * * * *', 'beyond end of range'],
    ['*/0 * * * * *', 'should be a positive number'],
    ['0 0 0 * 13 *', 'above maximum (12)'],
    ['0 0 0 * * 7', 'above maximum (6)'],
    ['0 0 2 * * * *', 'Expected 5 to 6 fields, found 7'],
    ['0 2 * *', 'Expected 5 to 6 fields, found 4'],
    ['', 'Empty spec string'],
    ['@fortnightly', 'Unrecognized descriptor'],
  ])('refuses %j (%s)', (spec, why) => {
    expect(robfigCronError(spec)).toContain(why);
  });

  it.each(['0 0 2 * * *', '0 30 1 * * sun', '*/5 * * * * ?', '0 0 0 1 jan,jul *', '0 0 2 * * mon-fri', '0 0 2 1-31/2 * *', '@daily', '@every 1h30m', '0 2 * * *'])('accepts %j', (spec) => {
    expect(robfigCronError(spec)).toBeUndefined();
  });

  it('the settings want six fields: five parse upstream, but CloudNativePG warns they are probably minutes first', () => {
    expect(ok(cnpgSchedule, '0 0 2 * * *')).toBe(true);
    expect(ok(cnpgSchedule, '0 2 * * *')).toBe(false);
    expect(ok(cnpgSchedule, '99 0 25 * * *')).toBe(false);
  });
});

describe('Kubernetes names and labels', () => {
  it('a DNS-1123 label fits 63 minus what the output adds around it', () => {
    expect(ok(dnsLabel(), 'a'.repeat(63))).toBe(true);
    expect(ok(dnsLabel(), 'a'.repeat(64))).toBe(false);
    expect(ok(dnsLabel(EXTRA_WORKER_RESERVED), 'a'.repeat(63 - EXTRA_WORKER_RESERVED))).toBe(true);
    expect(ok(dnsLabel(EXTRA_WORKER_RESERVED), 'a'.repeat(64 - EXTRA_WORKER_RESERVED))).toBe(false);
    expect(`finbot-${'a'.repeat(63 - EXTRA_WORKER_RESERVED)}-metrics`).toHaveLength(63);
    for (const bad of ['-a', 'a-', 'A', 'a_b', '']) expect(ok(dnsLabel(), bad), bad).toBe(false);
  });

  it('label values: at most 63, alphanumeric at both ends', () => {
    expect(ok(labelValue, '')).toBe(true);
    expect(ok(labelValue, 'v4.0.0_rc-1')).toBe(true);
    for (const bad of ['_v4', 'v4-', 'a'.repeat(64), 'a b']) expect(ok(labelValue, bad), bad).toBe(false);
  });

  it('extra worker names that would collide with the fixed components are refused', () => {
    for (const name of ['api', 'web', 'worker', 'api-preview', 'web-x', 'reports-metrics', 'reports-hpa']) expect(extraWorkerNameClash(name), name).toBeDefined();
    for (const name of ['reports', 'mailer', 'apis', 'webhooks']) expect(extraWorkerNameClash(name), name).toBeUndefined();
  });
});

describe('image references', () => {
  it('tags are the reference grammar narrowed to label values; digests are accepted wherever tags are', () => {
    expect(ok(imageTag, 'v4.0.0')).toBe(true);
    expect(ok(imageTag, `v4.1.0@sha256:${HEX}`)).toBe(true);
    expect(ok(imageTagSchema, `v4.1.0@sha256:${HEX}`)).toBe(true);
    expect(tagOf(`v4.1.0@sha256:${HEX}`)).toBe('v4.1.0');
    for (const bad of ['latest', 'LATEST', '_v4', `v${'1'.repeat(99)}`, 'v4@sha256:abc', `v4@md5:${HEX}`, `v4@sha256:${HEX}@sha256:${HEX}`, '']) {
      expect(ok(imageTag, bad), bad).toBe(false);
    }
  });

  it('registry hosts: DNS components with a "." or a port 1-65535 (or localhost)', () => {
    for (const good of ['docker.io', 'ghcr.io', '123456789012.dkr.ecr.us-west-2.amazonaws.com', 'registry.internal:5000', 'localhost', 'localhost:5000']) expect(ok(registryHost, good), good).toBe(true);
    for (const bad of ['..', 'finbot', '.io', 'docker.io:99999', 'docker.io:0', '-a.io', 'a..io']) expect(ok(registryHost, bad), bad).toBe(false);
  });

  it('repository paths', () => {
    expect(ok(imageRepository, 'finbot/api')).toBe(true);
    expect(ok(imageRepository, 'cloudnative-pg/postgresql')).toBe(true);
    for (const bad of ['Finbot/api', 'finbot//api', '/api', 'api/', 'a..b']) expect(ok(imageRepository, bad), bad).toBe(false);
  });
});

describe('numbers, ports, addresses, durations', () => {
  it('int32 and ports', () => {
    expect(ok(int32(1), INT32_MAX)).toBe(true);
    expect(ok(int32(1), INT32_MAX + 1)).toBe(false);
    expect(ok(int32(1), 3_000_000_000)).toBe(false);
    expect(ok(port, 65535)).toBe(true);
    for (const bad of [0, 65536, 99999, 1.5]) expect(ok(port, bad), String(bad)).toBe(false);
    expect(ok(httpsUrl, 'https://vault.finbot.com:8200')).toBe(true);
    expect(ok(httpsUrl, 'https://vault.finbot.com:99999')).toBe(false);
    expect(ok(httpsUrl, 'http://vault.finbot.com:8200')).toBe(false);
  });

  it('CIDRs: octets 0-255 without leading zeros, prefixes up to 32 / 128', () => {
    for (const good of ['173.245.48.0/20', '0.0.0.0/0', '2400:cb00::/32', '::/0', '1:2:3:4:5:6:7:8/64', '::ffff:10.0.0.0/104']) expect(ok(cidr, good), good).toBe(true);
    for (const bad of ['999.245.48.0/20', '173.245.48.0/33', '173.245.048.0/20', '173.245.48.0', '2400:cb00::/129', 'x/1', '1::2::3/64', '1:2:3:4:5:6:7:8:9/64', 'g::/16']) expect(ok(cidr, bad), bad).toBe(false);
  });

  it('Go and Prometheus durations', () => {
    for (const good of ['15s', '1h30m', '500ms', '1.5h']) expect(ok(goDuration, good), good).toBe(true);
    for (const bad of ['15', '1d', 's']) expect(ok(goDuration, bad), bad).toBe(false);
    for (const good of ['30d', '12h', '1d12h', '1y2w', '0']) expect(ok(promDuration, good), good).toBe(true);
    for (const bad of ['12h7d', '30 days', '1.5h', '', '5m5m']) expect(ok(promDuration, bad), bad).toBe(false);
  });
});

describe('reading files', () => {
  it('finds the byte offset of the first byte that is not UTF-8', () => {
    expect(invalidUtf8Offset(Buffer.from('a: é\n'))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]))).toBe(3);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(invalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated
  });

  it('positions of keys in block and flow style', () => {
    const p = yamlPositions('# c\na:\n  b: { c: 1, "d": 2 }\n  e:\n    - x\n    - { f: 1 }\n');
    expect(p.get(pathKey(['a']))).toEqual({ line: 2, column: 1 });
    expect(p.get(pathKey(['a', 'b']))).toEqual({ line: 3, column: 3 });
    expect(p.get(pathKey(['a', 'b', 'c']))).toEqual({ line: 3, column: 8 });
    expect(p.get(pathKey(['a', 'b', 'd']))).toEqual({ line: 3, column: 14 });
    expect(p.get(pathKey(['a', 'e', 0]))).toEqual({ line: 5, column: 7 });
    expect(p.get(pathKey(['a', 'e', 1, 'f']))).toEqual({ line: 6, column: 9 });
  });
});
