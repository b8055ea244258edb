/**
 * Reads one upstream file for `npm run import`: from its copies in ../shared when every copy exists, otherwise
 * from its URL. A failure names the URL and why (offline: the DNS or connection error node's fetch keeps in
 * `cause`, not its message "fetch failed").
 */
import { existsSync, readFileSync } from 'node:fs';

/** The fetch the import uses (node's global one; tests pass their own). */
export type Fetch = (url: string) => Promise<{ ok: boolean; status: number; statusText?: string; text(): Promise<string> }>;

/** Why a fetch failed, from the error and its `cause` chain (e.g. `getaddrinfo ENOTFOUND raw.githubusercontent.com`). */
export function fetchFailure(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const m = e instanceof Error ? e.message : String(e);
    if (m && !parts.includes(m)) parts.push(m);
  }
  return parts.join(': ') || 'unknown error';
}

/** The text of `url`, or of its local copies (joined as one YAML stream) when they all exist. */
export async function fetchText(url: string, local: readonly string[], sharedDir: string, fetchImpl: Fetch = fetch): Promise<string> {
  if (local.length > 0 && local.every((f) => existsSync(f))) return local.map((f) => readFileSync(f, 'utf8')).join('\n---\n');
  const res = await fetchImpl(url).catch((err: unknown) => {
    throw new Error(`could not download ${url} (and no copy in ${sharedDir}): ${fetchFailure(err)}`);
  });
  if (!res.ok) throw new Error(`could not download ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  return res.text();
}
