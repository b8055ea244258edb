/**
 * Digests are accepted wherever a tag is (issue #19: set-image refused `@sha256` digests although validation
 * recommends digest pinning). Every image tag of the committed settings of every environment is pinned by a
 * digest at once; the settings load, and each digest reaches the image of the output.
 */
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../charts/environment';
import { listEnvironments, parseSettings, readRawSections } from '../../config/load';
import { renderObjects } from '../../synth/render';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** Every `{ …, tag: string }` of the raw settings, with its YAML path. */
function tags(node: unknown, path: string[] = [], out: Array<{ path: string; holder: Record<string, unknown> }> = []) {
  if (Array.isArray(node)) node.forEach((v, i) => tags(v, [...path, String(i)], out));
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.tag === 'string') out.push({ path: [...path, 'tag'].join('.'), holder: o });
    for (const [k, v] of Object.entries(o)) tags(v, [...path, k], out);
  }
  return out;
}

describe.each(listEnvironments())('image digests (%s)', (env) => {
  it('every image tag setting takes <tag>@sha256:…, and the output pins that image by it', () => {
    const raw = readRawSections(env);
    const found = tags(raw);
    expect(found.length).toBeGreaterThan(0);
    const pinned = found.map(({ path, holder }) => {
      // A tag a release already pinned by digest gets the test's digest instead (a tag carries one digest).
      holder.tag = `${(holder.tag as string).replace(/@sha256:[a-f0-9]{64}$/, '')}@${DIGEST}`;
      return { path, ref: `:${holder.tag as string}` };
    });
    const settings = parseSettings(env, raw);
    // Images of pod templates and of custom resources (a CNPG Cluster's imageName, a RedisCluster's image).
    const images = new Set<string>();
    const collect = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(collect);
      else if (n !== null && typeof n === 'object') {
        for (const [k, v] of Object.entries(n)) if (/^(image|imageName)$/.test(k) && typeof v === 'string') images.add(v); else collect(v);
      }
    };
    renderObjects(buildEnvironment(settings)).forEach(([, objects]) => collect(objects));
    for (const p of pinned) expect([...images].some((i) => i.endsWith(p.ref)), `${env}: ${p.path}: no image ends with ${p.ref}`).toBe(true);
  });
});
