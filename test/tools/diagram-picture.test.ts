/**
 * Invariants of the architecture picture of every environment (the environments are listed from config/, so
 * a new one is checked without a change here): every workload and every component an operator runs for the
 * output is drawn; boxes do not overlap and stay inside their panel and the canvas; the drawing fills its
 * canvas (measured on the rendered PNG); the live colour marked is the one the settings make live.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../model/kube-object';
import { operatorRunOf } from '../../model/operators/operator-run';
import { podTemplateOf } from '../../model/workloads';
import { architecture } from '../../tools/diagram/architecture';
import { COLOUR_PAINT, place, renderDiagram, type Rect } from '../../tools/diagram/diagram';
import { ENVIRONMENTS, settingsOf, synthObjects } from '../helpers';
import { rasterise } from './rasterise';
import { decodePng, type PngPixels } from './png';

/** The pictures are looked at at half their size. */
const SCALE = 0.5;
const id = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Rect, b: Rect) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;

/** Luminance below which a pixel is drawn content (at half size, anti-aliasing lightens thin lines and text). */
const DARK = 190;

/** Share of `tile`×`tile` squares of the picture below `top` that hold drawn content (text, lines, borders). */
function filledTiles(px: PngPixels, top: number, tile = 100): number {
  let used = 0;
  let total = 0;
  for (let ty = top; ty + tile <= px.height; ty += tile) {
    for (let tx = 0; tx + tile <= px.width; tx += tile) {
      let dark = 0;
      for (let y = ty; y < ty + tile; y++) {
        for (let o = (y * px.width + tx) * px.channels, end = o + tile * px.channels; o < end; o += px.channels) {
          if (0.299 * px.data[o] + 0.587 * px.data[o + 1] + 0.114 * px.data[o + 2] < DARK) dark++;
        }
      }
      total++;
      if (dark / (tile * tile) > 0.002) used++;
    }
  }
  return used / total;
}

/** Pixels of a rectangle whose colour is within a small distance of `hex`. */
function pixelsOf(px: PngPixels, r: Rect, hex: string): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let y = Math.max(0, Math.floor(r.y)); y < Math.min(px.height, r.y + r.h); y++) {
    for (let x = Math.max(0, Math.floor(r.x)); x < Math.min(px.width, r.x + r.w); x++) {
      const c = px.rgb(x, y);
      if (c.every((v, i) => Math.abs(v - want[i]) < 20)) n++;
    }
  }
  return n;
}

/** A blue-green pair with the live and preview Services' colours swapped: what `npm run promote` does. */
function swapLive(objects: readonly KubeObject[], live: string, idle: string): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Service') return o;
    const sel = (o as any).spec?.selector as Record<string, string> | undefined;
    if (!sel || !Object.values(sel).some((v) => v === live || v === idle)) return o;
    const swapped = Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, v === live ? idle : v === idle ? live : v]));
    return { ...o, spec: { ...(o as any).spec, selector: swapped } } as KubeObject;
  });
}

describe.each(ENVIRONMENTS)('the architecture picture of %s', (env) => {
  const objects = synthObjects(env);
  const arch = architecture(objects);
  const svg = renderDiagram(env, arch);
  const placed = place(arch.nodes, arch.edges);
  const canvas: Rect = { x: 0, y: 0, w: placed.width, h: placed.height };
  // Rendered once per environment, at half size (resvg takes about a second for the full drawing); rectangles
  // of the drawing are scaled by SCALE to find them in the picture.
  let png: PngPixels | undefined;
  const picture = () => (png ??= decodePng(rasterise(svg, SCALE)));
  const scaled = (r: Rect): Rect => ({ x: r.x * SCALE, y: r.y * SCALE, w: r.w * SCALE, h: r.h * SCALE });
  const drawn = new Set([...svg.matchAll(/<g class="node [^"]*" data-id="([^"]+)"/g)].map((m) => m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')));

  it('draws every workload of the output', () => {
    const workloads = objects.filter((o) => o.kind !== 'Pod' && podTemplateOf({ object: o, file: '' }) !== undefined).map(id);
    expect(workloads.length).toBeGreaterThan(0);
    expect(workloads.filter((w) => !drawn.has(w))).toEqual([]);
  });

  it('draws every component an operator (or a chart) runs for the output, with the pods and Services of the operator model', () => {
    const runs = objects.map((o) => ({ o, run: operatorRunOf(o) })).filter((x) => x.run !== undefined);
    expect(runs.length).toBeGreaterThan(0);
    for (const { o, run } of runs) {
      // the Gateway's data plane is drawn on the Gateway box; a chart's pods apart from its Application
      const node = arch.nodes.find((n) => n.layer === 'operated' && n.namespace === run!.namespace && (n.id === id(o) || n.id === `Chart/${run!.namespace}/${o.metadata.name}`))
        ?? arch.nodes.find((n) => n.id === id(o));
      expect(node, `${id(o)} (${run!.operator})`).toBeDefined();
      expect(drawn.has(node!.id)).toBe(true);
      if (node!.layer === 'operated') {
        for (const s of run!.derived.services.slice(0, 2)) expect(node!.detail2, `${node!.id}`).toContain(s.name);
        const pods = run!.derived.pods.reduce((n, p) => n + (p.replicas ?? 0), 0);
        if (run!.derived.pods.every((p) => p.replicas !== undefined)) expect(node!.pods).toBe(pods);
      } else {
        expect(node!.detail).toContain(run!.operator);
      }
    }
    // the NGF control plane and istiod run outside the output, and are drawn
    expect(arch.nodes.some((n) => n.group === 'edge' && n.layer === 'control')).toBe(true);
    expect(arch.nodes.some((n) => n.group === 'mesh' && n.layer === 'control')).toBe(true);
    // and GitOps: every Argo CD Application and AppProject
    for (const o of objects.filter((x) => x.kind === 'Application' || x.kind === 'AppProject')) expect(drawn.has(id(o)), id(o)).toBe(true);
  });

  it('has every object of the output in the picture: drawn as a box, or counted in its mesh or configuration box', () => {
    const boxes = new Set(arch.nodes.map((n) => n.id));
    expect(objects.filter((o) => !arch.drawnIn.has(id(o))).map(id)).toEqual([]);
    expect([...arch.drawnIn.values()].filter((b) => !boxes.has(b))).toEqual([]);
    // a configuration box says how many objects of each kind it counts
    for (const n of arch.nodes.filter((x) => x.id.startsWith('Configuration/'))) {
      const counted = objects.filter((o) => arch.drawnIn.get(id(o)) === n.id);
      expect(n.kind).toBe(`configuration · ${counted.length} object${counted.length === 1 ? '' : 's'}`);
    }
  });

  it('puts no box over another, every box inside its panel and every panel inside the canvas', () => {
    const boxes = [...placed.boxes.entries()];
    expect(boxes.length).toBe(arch.nodes.length);
    const overlapping = boxes.flatMap(([a, ra], i) => boxes.slice(i + 1).filter(([, rb]) => overlap(ra, rb)).map(([b]) => `${a} × ${b}`));
    expect(overlapping).toEqual([]);
    for (const n of arch.nodes) {
      const panel = placed.panels.find((p) => p.group === n.group)!;
      expect(inside(placed.boxes.get(n.id)!, panel.rect), `${n.id} in ${n.group}`).toBe(true);
    }
    for (const p of placed.panels) expect(inside(p.rect, canvas), p.group).toBe(true);
    const panels = placed.panels;
    expect(panels.flatMap((a, i) => panels.slice(i + 1).filter((b) => overlap(a.rect, b.rect)).map((b) => `${a.group} × ${b.group}`))).toEqual([]);
    // the SVG's own size is the placement's
    expect(svg).toContain(`width="${placed.width}" height="${placed.height}"`);
  });

  it('fills its canvas: panels cover it, and the rendered picture has content in nearly every 100 px square', () => {
    const below = placed.height - placed.panels[0].rect.y;
    const panelArea = placed.panels.reduce((sum, p) => sum + p.rect.w * p.rect.h, 0);
    expect(panelArea / (placed.width * below)).toBeGreaterThan(0.85);
    const boxArea = [...placed.boxes.values()].reduce((sum, r) => sum + r.w * r.h, 0);
    expect(boxArea / (placed.width * placed.height)).toBeGreaterThan(0.3);
    const px = picture();
    expect([px.width, px.height]).toEqual([Math.round(placed.width * SCALE), Math.round(placed.height * SCALE)]);
    // The previous column layout left the right and the bottom empty: 62 % of the squares held content.
    expect(filledTiles(px, Math.round(placed.panels[0].rect.y * SCALE), 100 * SCALE)).toBeGreaterThan(0.8);
  });

  it('marks as live the colour the settings make live, and the picture shows it in that box', () => {
    const settings = settingsOf(env);
    const active = settings.release.api.active;
    const idle = active === 'blue' ? 'green' : 'blue';
    const ns = settings.platform.namespaces.app;
    expect(arch.live.map((l) => l.colour)).toEqual([active]);
    const live = arch.nodes.filter((n) => n.colour?.live);
    const idleNodes = arch.nodes.filter((n) => n.colour && !n.colour.live);
    expect(live.map((n) => n.id)).toEqual([`Deployment/${ns}/finbot-api-${active}`]);
    expect(idleNodes.map((n) => n.id)).toEqual([`Deployment/${ns}/finbot-api-${idle}`]);
    expect(svg).toMatch(new RegExp(`class="live-colour" data-service="finbot-api" data-colour="${active}"`));
    // Looking at the picture: the live box carries the LIVE badge in its colour, the idle one does not.
    const px = picture();
    const paint = COLOUR_PAINT[active];
    expect(pixelsOf(px, scaled(placed.boxes.get(live[0].id)!), paint)).toBeGreaterThan(100);
    expect(pixelsOf(px, scaled(placed.boxes.get(idleNodes[0].id)!), paint)).toBeLessThan(25);
  });

  it('follows a promotion: with the live and preview Services swapped, the other colour is marked live', () => {
    const active = settingsOf(env).release.api.active;
    const idle = active === 'blue' ? 'green' : 'blue';
    const promoted = architecture(swapLive(objects, active, idle));
    expect(promoted.live.map((l) => l.colour)).toEqual([idle]);
    expect(promoted.nodes.filter((n) => n.colour?.live).map((n) => n.name)).toEqual([`finbot-api-${idle}`]);
    expect(renderDiagram(env, promoted)).toContain(`data-colour="${idle}"`);
  });
});
