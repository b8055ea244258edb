/** `npm run import` offline names the URL it failed on and why (issue #19). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchFailure, fetchText, type Fetch } from '../../tools/import/fetch-text';

const URL = 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_clusters.yaml';
const dir = mkdtempSync(join(tmpdir(), 'import-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What node's fetch (undici) throws offline: a TypeError "fetch failed" whose cause is the DNS error.
const offline: Fetch = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND raw.githubusercontent.com'), { code: 'ENOTFOUND' }) }));

describe('fetchText (npm run import)', () => {
  it('offline: names the URL, the missing copy and the cause, not only "fetch failed"', async () => {
    const err = await fetchText(URL, [join(dir, 'missing.yaml')], '../shared', offline).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(URL);
    expect((err as Error).message).toContain('no copy in ../shared');
    expect((err as Error).message).toContain('getaddrinfo ENOTFOUND raw.githubusercontent.com');
  });

  it('an HTTP error names the URL and the status', async () => {
    const notFound: Fetch = async () => ({ ok: false, status: 404, statusText: 'Not Found', text: async () => '' });
    await expect(fetchText(URL, [], '../shared', notFound)).rejects.toThrow(`could not download ${URL}: HTTP 404 Not Found`);
  });

  it('reads the copies when every one exists, without the network', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'b.yaml'), 'b: 2\n');
    expect(await fetchText(URL, [join(dir, 'a.yaml'), join(dir, 'b.yaml')], dir, offline)).toBe('a: 1\n\n---\nb: 2\n');
  });

  it('fetchFailure follows the cause chain', () => {
    expect(fetchFailure(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:443') }))).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:443');
  });
});
