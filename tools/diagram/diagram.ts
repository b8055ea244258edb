/**
 * Draws an {@link Architecture} as a standalone SVG: four columns (edge, Services, workloads, data
 * stores), boxes stacked by namespace and name, arrows coloured by the NetworkPolicy verdict, mTLS shown as
 * a badge on boxes and a double line on arrows. Deterministic: the same graph gives the same bytes.
 */
import { LAYERS, type ArchEdge, type ArchNode, type Architecture, type Layer } from './architecture';

/** Geometry of the drawing (pixels). */
export const LAYOUT = {
  width: 1600,
  minHeight: 1000,
  top: 130,
  boxWidth: 300,
  boxHeight: 56,
  gap: 14,
  columnX: [40, 440, 840, 1240] as readonly number[],
} as const;

const TITLES: Record<Layer, string> = { edge: 'Edge (Ingress, HTTPRoute)', service: 'Services', workload: 'Workloads', data: 'Data stores' };
const FILL: Record<Layer, string> = { edge: '#e3f2fd', service: '#ede7f6', workload: '#fff8e1', data: '#e8f5e9' };
const STROKE: Record<Layer, string> = { edge: '#1565c0', service: '#5e35b1', workload: '#ef6c00', data: '#2e7d32' };
const EDGE_COLOR: Record<ArchEdge['verdict'], string> = { allowed: '#2e7d32', denied: '#c62828', open: '#9e9e9e' };
// A Service selecting its pods is not traffic a policy judges: its own colour.
const SELECTS_COLOR = '#37474f';

/** Escapes text for SVG/XML. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Where each node's box is: column by layer, row by order within the layer. */
export function place(nodes: readonly ArchNode[]): Map<string, { x: number; y: number }> {
  const pos = new Map<string, { x: number; y: number }>();
  for (const [i, layer] of LAYERS.entries()) {
    const inLayer = nodes.filter((n) => n.layer === layer);
    inLayer.forEach((n, row) => pos.set(n.id, { x: LAYOUT.columnX[i], y: LAYOUT.top + row * (LAYOUT.boxHeight + LAYOUT.gap) }));
  }
  return pos;
}

function box(n: ArchNode, p: { x: number; y: number }): string {
  const { boxWidth: w, boxHeight: h } = LAYOUT;
  const badge = n.mtls
    ? `<rect x="${p.x + w - 52}" y="${p.y + 6}" width="44" height="16" rx="8" fill="#2e7d32"/><text x="${p.x + w - 30}" y="${p.y + 18}" font-size="10" fill="#fff" text-anchor="middle">mTLS</text>`
    : '';
  return [
    `<g class="node ${n.layer}" data-id="${xml(n.id)}">`,
    `<rect x="${p.x}" y="${p.y}" width="${w}" height="${h}" rx="6" fill="${FILL[n.layer]}" stroke="${n.mtls ? '#2e7d32' : STROKE[n.layer]}" stroke-width="${n.mtls ? 2.5 : 1.2}"/>`,
    `<text x="${p.x + 10}" y="${p.y + 16}" font-size="11" fill="#555">${xml(n.kind)} · ${xml(clip(n.namespace, 28))}</text>`,
    `<text x="${p.x + 10}" y="${p.y + 33}" font-size="14" font-weight="bold" fill="#111">${xml(clip(n.name, 34))}</text>`,
    `<text x="${p.x + 10}" y="${p.y + 49}" font-size="11" fill="#333">${xml(clip(n.detail, 44))}</text>`,
    badge,
    '</g>',
  ].join('');
}

/** Which side of its box an arrow leaves (`from`) or enters (`to`): arrows run left to right except `calls`. */
function sides(from: { x: number }, to: { x: number }): { out: 'left' | 'right'; in: 'left' | 'right' } {
  return to.x > from.x ? { out: 'right', in: 'left' } : { out: 'left', in: 'right' };
}

/**
 * Where each arrow meets its boxes: the arrows on one side of a box are spread over its height, ordered by
 * where their other end is, so arrows into a busy box (a data store, the api Service) do not share a point
 * and `calls` arrows (right to left) do not run on top of the `selects` arrows between the same columns.
 */
export function anchors(edges: readonly ArchEdge[], pos: ReadonlyMap<string, { x: number; y: number }>): Map<ArchEdge, { sy: number; ty: number }> {
  const { boxHeight: h } = LAYOUT;
  const bySide = new Map<string, Array<{ e: ArchEdge; end: 'from' | 'to'; otherY: number }>>();
  const add = (key: string, item: { e: ArchEdge; end: 'from' | 'to'; otherY: number }) => (bySide.get(key) ?? bySide.set(key, []).get(key)!).push(item);
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const s = sides(a, b);
    add(`${e.from}|${s.out}`, { e, end: 'from', otherY: b.y });
    add(`${e.to}|${s.in}`, { e, end: 'to', otherY: a.y });
  }
  const out = new Map<ArchEdge, { sy: number; ty: number }>();
  for (const [key, items] of bySide) {
    const y = pos.get(key.slice(0, key.lastIndexOf('|')))!.y;
    // calls leave/enter below the other arrows of the same side, then by the other end's height
    items.sort((p, q) => Number(p.e.relation === 'calls') - Number(q.e.relation === 'calls') || p.otherY - q.otherY || (p.e.from + p.e.to < q.e.from + q.e.to ? -1 : 1));
    items.forEach((it, i) => {
      const at = y + 8 + ((h - 16) * (i + 1)) / (items.length + 1);
      const cur = out.get(it.e) ?? { sy: 0, ty: 0 };
      out.set(it.e, it.end === 'from' ? { ...cur, sy: at } : { ...cur, ty: at });
    });
  }
  return out;
}

function arrow(e: ArchEdge, from: { x: number; y: number }, to: { x: number; y: number }, at: { sy: number; ty: number }): string {
  const { boxWidth: w } = LAYOUT;
  const forward = to.x > from.x;
  const sx = forward ? from.x + w : from.x;
  const tx = forward ? to.x : to.x + w;
  const { sy, ty } = at;
  // calls bulge further than the Service → pods arrows they run against, so the two stay apart
  const bend = forward ? Math.max(40, (tx - sx) / 2) : -Math.max(40, (sx - tx) / 2);
  const d = `M${sx},${sy} C${sx + bend},${sy} ${tx - bend},${ty} ${tx},${ty}`;
  const color = e.relation === 'selects' ? SELECTS_COLOR : EDGE_COLOR[e.verdict];
  const dash = e.verdict === 'denied' ? ' stroke-dasharray="6 4"' : e.relation === 'calls' ? ' stroke-dasharray="2 3"' : '';
  const title = `<title>${xml(`${e.from} ${e.relation} ${e.to}${e.port !== undefined ? ` port ${e.port}` : ''}: ${e.verdict}${e.mtls ? ', mTLS' : ''}`)}</title>`;
  const inner = e.mtls ? `<path d="${d}" fill="none" stroke="#fff" stroke-width="1.2"/>` : '';
  return `<g class="edge ${e.relation} ${e.verdict}">${title}<path d="${d}" fill="none" stroke="${color}" stroke-width="${e.mtls ? 4 : 1.6}"${dash} marker-end="url(#arrow-${e.relation === 'selects' ? 'selects' : e.verdict})"/>${inner}</g>`;
}

function legend(y: number): string {
  const item = (x: number, color: string, dash: string, label: string, double = false) =>
    `<path d="M${x},${y} h40" stroke="${color}" stroke-width="${double ? 4 : 2}"${dash}/>${double ? `<path d="M${x},${y} h40" stroke="#fff" stroke-width="1.2"/>` : ''}<text x="${x + 48}" y="${y + 4}" font-size="12" fill="#333">${label}</text>`;
  return [
    item(40, EDGE_COLOR.allowed, '', 'allowed by a NetworkPolicy rule'),
    item(310, EDGE_COLOR.denied, ' stroke-dasharray="6 4"', 'denied (isolated, no rule allows it)'),
    item(610, EDGE_COLOR.open, '', 'no NetworkPolicy applies'),
    item(830, SELECTS_COLOR, '', 'Service selects pods'),
    item(1040, EDGE_COLOR.allowed, '', 'mTLS STRICT', true),
    item(1210, EDGE_COLOR.allowed, ' stroke-dasharray="2 3"', 'calls (env URL), right to left'),
  ].join('');
}

/** The SVG document of an environment's architecture. */
export function renderDiagram(environment: string, arch: Architecture): string {
  const pos = place(arch.nodes);
  const rows = Math.max(1, ...LAYERS.map((l) => arch.nodes.filter((n) => n.layer === l).length));
  const height = Math.max(LAYOUT.minHeight, LAYOUT.top + rows * (LAYOUT.boxHeight + LAYOUT.gap) + 40);
  const count = (l: Layer) => arch.nodes.filter((n) => n.layer === l).length;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LAYOUT.width}" height="${height}" viewBox="0 0 ${LAYOUT.width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title>${xml(`${environment}: architecture drawn from dist/${environment}`)}</title>`,
    '<defs>',
    ...Object.entries({ ...EDGE_COLOR, selects: SELECTS_COLOR }).map(([v, color]) => `<marker id="arrow-${v}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`),
    '</defs>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="40" y="36" font-size="22" font-weight="bold" fill="#111">${xml(environment)}</text>`,
    `<text x="40" y="58" font-size="12" fill="#555">Generated by npm run diagram from the synthesized objects (do not edit). ${arch.nodes.length} objects, ${arch.edges.length} connections.</text>`,
    legend(80),
    ...LAYERS.map((l, i) => `<text x="${LAYOUT.columnX[i]}" y="${LAYOUT.top - 12}" font-size="15" font-weight="bold" fill="${STROKE[l]}">${xml(TITLES[l])} (${count(l)})</text>`),
  ];
  // Arrows first so that boxes are drawn over their ends.
  const at = anchors(arch.edges, pos);
  for (const e of arch.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (a && b) out.push(arrow(e, a, b, at.get(e)!));
  }
  for (const n of arch.nodes) out.push(box(n, pos.get(n.id)!));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
