/**
 * Draws an {@link Architecture} as a standalone SVG. Boxes sit in panels (edge, app, data, observability,
 * tracing, mesh, GitOps, cluster), arranged in three bands on a four-column grid: the request path (edge →
 * app → data) on top, observability and tracing below it, mesh, GitOps and the cluster at the bottom. Each
 * band gives its panels the columns that make it shortest, and a column's boxes are spread over the band's
 * height, so the drawing fills its canvas. Arrows are coloured by the NetworkPolicy verdict; mTLS is a badge
 * on boxes and a double line on arrows; the live colour of a blue-green component is marked. Deterministic:
 * the same graph gives the same bytes.
 */
import { GROUPS, type ArchEdge, type ArchNode, type Architecture, type Group } from './architecture';

/** Geometry of the drawing (pixels). */
export const LAYOUT = {
  width: 1800,
  margin: 20,
  /** y of the first band (below title and legend). */
  top: 118,
  columns: 4,
  boxWidth: 336,
  boxHeight: 64,
  /** Vertical distance between box tops in a column at the tightest. */
  pitch: 76,
  /** Height of a panel's title strip. */
  panelTitle: 28,
  panelPadding: 10,
  /** Gap between bands. */
  bandGap: 14,
  bottom: 16,
} as const;

/** The bands, top to bottom, and the panels in each, left to right. */
export const BANDS: ReadonlyArray<readonly Group[]> = [['edge', 'app', 'data'], ['observability', 'tracing'], ['mesh', 'gitops', 'cluster']];

const TITLES: Record<Group, string> = {
  edge: 'Edge: Gateway API, NGINX Gateway Fabric', app: 'Application', data: 'Data: Postgres, Redis, Vault', observability: 'Observability: metrics, alerts, dashboards',
  tracing: 'Tracing: collectors, Jaeger, Elasticsearch', mesh: 'Mesh: Istio', gitops: 'GitOps: Argo CD', cluster: 'Cluster and configuration (objects counted by API group)',
};
const FILL: Record<Group, string> = { edge: '#e3f2fd', app: '#fff8e1', data: '#e8f5e9', observability: '#fce4ec', tracing: '#e0f2f1', mesh: '#ede7f6', gitops: '#efebe9', cluster: '#eceff1' };
const STROKE: Record<Group, string> = { edge: '#1565c0', app: '#ef6c00', data: '#2e7d32', observability: '#ad1457', tracing: '#00695c', mesh: '#5e35b1', gitops: '#6d4c41', cluster: '#546e7a' };
const EDGE_COLOR: Record<ArchEdge['verdict'], string> = { allowed: '#2e7d32', denied: '#c62828', open: '#9e9e9e' };
// A Service selecting its pods is not traffic a policy judges: its own colour.
const SELECTS_COLOR = '#37474f';
/** How a colour name of a blue-green release is painted (any other name: grey); green brighter than the mTLS green. */
export const COLOUR_PAINT: Readonly<Record<string, string>> = { blue: '#1e63d6', green: '#12b34a' };

/** Escapes text for SVG/XML. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A rectangle. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where everything is: the canvas, the panels and the boxes. */
export interface Placement {
  readonly width: number;
  readonly height: number;
  readonly panels: ReadonlyArray<{ readonly group: Group; readonly rect: Rect; readonly count: number }>;
  readonly boxes: ReadonlyMap<string, Rect>;
}

/** Every way to give `panels` panels at least one of `columns` columns each. */
function splits(panels: number, columns: number): number[][] {
  if (panels === 1) return [[columns]];
  const out: number[][] = [];
  for (let k = 1; k <= columns - panels + 1; k++) for (const rest of splits(panels - 1, columns - k)) out.push([k, ...rest]);
  return out;
}

/**
 * Boxes of a panel into `k` columns of at most `rows`: in order, starting a new column where the layer
 * changes (Services | workloads) when the rest still fits, so related boxes face each other.
 */
function flow(nodes: readonly ArchNode[], k: number, bandRows: number): ArchNode[][] {
  // One kind of box: balanced columns; several: split where the kind changes when it fits.
  const rows = new Set(nodes.map((n) => n.layer)).size === 1 ? Math.min(bandRows, Math.ceil(nodes.length / k)) : bandRows;
  const cols: ArchNode[][] = [[]];
  nodes.forEach((n, i) => {
    let cur = cols[cols.length - 1];
    const left = nodes.length - i;
    const layerChange = cur.length > 0 && cur[cur.length - 1].layer !== n.layer && (k - cols.length) * rows >= left;
    if ((cur.length >= rows || layerChange) && cols.length < k) {
      cur = [];
      cols.push(cur);
    }
    cur.push(n);
  });
  return cols;
}

/**
 * Orders each column after a panel's first by where the boxes it connects to sit in the columns before it
 * (their mean row), so a Service faces the pods it selects and arrows cross less. Boxes without such a
 * neighbour keep their row.
 */
function alignColumns(cols: ArchNode[][], neighbours: ReadonlyMap<string, readonly string[]>): ArchNode[][] {
  const row = new Map<string, number>();
  return cols.map((col, c) => {
    const ordered = c === 0 ? col : col
      .map((n, i) => {
        const ys = (neighbours.get(n.id) ?? []).map((id) => row.get(id)).filter((y): y is number => y !== undefined);
        return { n, i, key: ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : i };
      })
      .sort((a, b) => a.key - b.key || a.i - b.i)
      .map((x) => x.n);
    ordered.forEach((n, i) => row.set(n.id, i));
    return ordered;
  });
}

/** Where each panel and box is; `edges` only order the boxes inside a panel's columns. */
export function place(nodes: readonly ArchNode[], edges: readonly ArchEdge[] = []): Placement {
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    (neighbours.get(e.from) ?? neighbours.set(e.from, []).get(e.from)!).push(e.to);
    (neighbours.get(e.to) ?? neighbours.set(e.to, []).get(e.to)!).push(e.from);
  }
  const { width, margin, columns, boxWidth, boxHeight, pitch, panelTitle, panelPadding, bandGap } = LAYOUT;
  const colWidth = (width - 2 * margin) / columns;
  const byGroup = new Map<Group, ArchNode[]>(GROUPS.map((g) => [g, nodes.filter((n) => n.group === g)]));
  const panels: Array<{ group: Group; rect: Rect; count: number }> = [];
  const boxes = new Map<string, Rect>();
  let y = LAYOUT.top;
  for (const band of BANDS) {
    const groups = band.filter((g) => byGroup.get(g)!.length > 0);
    if (groups.length === 0) continue;
    const counts = groups.map((g) => byGroup.get(g)!.length);
    // The split with the fewest rows; on a tie the one whose panels' columns are most even in rows.
    let best: { k: number[]; rows: number; waste: number } | undefined;
    for (const k of splits(groups.length, columns)) {
      const rows = Math.max(...counts.map((c, i) => Math.ceil(c / k[i])));
      const waste = counts.reduce((sum, c, i) => sum + k[i] * rows - c, 0);
      if (!best || rows < best.rows || (rows === best.rows && waste < best.waste)) best = { k, rows, waste };
    }
    const rows = best!.rows;
    const inner = rows * pitch;
    const bandHeight = panelTitle + inner + panelPadding;
    let col = 0;
    groups.forEach((g, i) => {
      const k = best!.k[i];
      const rect = { x: margin + col * colWidth + 4, y, w: k * colWidth - 8, h: bandHeight };
      panels.push({ group: g, rect, count: counts[i] });
      alignColumns(flow(byGroup.get(g)!, k, rows), neighbours).forEach((column, c) => {
        const x = margin + (col + c) * colWidth + (colWidth - boxWidth) / 2;
        // Spread the column's boxes over the band's height.
        const slot = inner / column.length;
        column.forEach((n, r) => boxes.set(n.id, { x, y: Math.round(y + panelTitle + r * slot + (slot - boxHeight) / 2), w: boxWidth, h: boxHeight }));
      });
      col += k;
    });
    y += bandHeight + bandGap;
  }
  return { width, height: y - bandGap + LAYOUT.bottom, panels, boxes };
}

type Side = 'left' | 'right';

/** Which side of its box an arrow leaves (`out`) and enters (`in`): towards the other box; within one column, both on the right. */
function sides(from: Rect, to: Rect): { out: Side; in: Side } {
  if (Math.abs(to.x - from.x) < 1) return { out: 'right', in: 'right' };
  return to.x > from.x ? { out: 'right', in: 'left' } : { out: 'left', in: 'right' };
}

/**
 * Where each arrow meets its boxes: the arrows on one side of a box are spread over its height, ordered by
 * where their other end is, so arrows into a busy box (a data store, the api Service) do not share a point
 * and `calls` arrows (right to left) do not run on top of the `selects` arrows between the same columns.
 */
export function anchors(edges: readonly ArchEdge[], boxes: ReadonlyMap<string, Rect>): Map<ArchEdge, { sy: number; ty: number }> {
  const bySide = new Map<string, Array<{ e: ArchEdge; end: 'from' | 'to'; otherY: number }>>();
  const add = (key: string, item: { e: ArchEdge; end: 'from' | 'to'; otherY: number }) => (bySide.get(key) ?? bySide.set(key, []).get(key)!).push(item);
  for (const e of edges) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b) continue;
    const s = sides(a, b);
    add(`${e.from}|${s.out}`, { e, end: 'from', otherY: b.y });
    add(`${e.to}|${s.in}`, { e, end: 'to', otherY: a.y });
  }
  const out = new Map<ArchEdge, { sy: number; ty: number }>();
  for (const [key, items] of bySide) {
    const box = boxes.get(key.slice(0, key.lastIndexOf('|')))!;
    // calls leave/enter below the other arrows of the same side, then by the other end's height
    items.sort((p, q) => Number(p.e.relation === 'calls') - Number(q.e.relation === 'calls') || p.otherY - q.otherY || (p.e.from + p.e.to < q.e.from + q.e.to ? -1 : 1));
    items.forEach((it, i) => {
      const at = box.y + 6 + ((box.h - 12) * (i + 1)) / (items.length + 1);
      const cur = out.get(it.e) ?? { sy: 0, ty: 0 };
      out.set(it.e, it.end === 'from' ? { ...cur, sy: at } : { ...cur, ty: at });
    });
  }
  return out;
}

function colourPaint(colour: string): string {
  return COLOUR_PAINT[colour] ?? '#616161';
}

function box(n: ArchNode, r: Rect): string {
  const { x, y, w, h } = r;
  const badges: string[] = [];
  let right = x + w - 6;
  if (n.mtls) {
    badges.push(`<rect x="${right - 40}" y="${y + 5}" width="40" height="15" rx="7.5" fill="#2e7d32"/><text x="${right - 20}" y="${y + 16}" font-size="9.5" fill="#fff" text-anchor="middle">mTLS</text>`);
    right -= 46;
  }
  if (n.colour) {
    const paint = colourPaint(n.colour.colour);
    const label = n.colour.live ? `LIVE · ${n.colour.colour}` : `idle · ${n.colour.colour}`;
    const bw = 12 + label.length * 6;
    badges.push(n.colour.live
      ? `<rect x="${right - bw}" y="${y + 5}" width="${bw}" height="15" rx="7.5" fill="${paint}"/><text x="${right - bw / 2}" y="${y + 16}" font-size="9.5" font-weight="bold" fill="#fff" text-anchor="middle">${xml(label)}</text>`
      : `<rect x="${right - bw}" y="${y + 5}" width="${bw}" height="15" rx="7.5" fill="#fff" stroke="${paint}" stroke-dasharray="3 2"/><text x="${right - bw / 2}" y="${y + 16}" font-size="9.5" fill="${paint}" text-anchor="middle">${xml(label)}</text>`);
    right -= bw + 6;
  }
  const headRoom = Math.floor((right - x - 10) / 5.6);
  const stroke = n.colour?.live ? colourPaint(n.colour.colour) : n.mtls ? '#2e7d32' : STROKE[n.group];
  const strokeWidth = n.colour?.live ? 3.5 : n.mtls ? 2.2 : 1.2;
  const dash = n.layer === 'control' ? ' stroke-dasharray="5 3"' : '';
  return [
    `<g class="node ${n.group} ${n.layer}${n.colour ? (n.colour.live ? ' live' : ' idle') : ''}" data-id="${xml(n.id)}"${n.colour ? ` data-colour="${xml(n.colour.colour)}"` : ''}>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" fill="${FILL[n.group]}" stroke="${stroke}" stroke-width="${strokeWidth}"${dash}/>`,
    // The live colour: a bar in its colour down the box's left edge as well as the badge.
    n.colour?.live ? `<rect x="${x}" y="${y}" width="10" height="${h}" rx="4" fill="${colourPaint(n.colour.colour)}"/>` : '',
    `<text x="${x + 15}" y="${y + 15}" font-size="10.5" fill="#555">${xml(clip(`${n.kind} · ${n.namespace}`, headRoom))}</text>`,
    `<text x="${x + 15}" y="${y + 32}" font-size="13.5" font-weight="bold" fill="#111">${xml(clip(n.name, 40))}</text>`,
    `<text x="${x + 15}" y="${y + 47}" font-size="10.5" fill="#333">${xml(clip(n.detail, 58))}</text>`,
    n.detail2 ? `<text x="${x + 15}" y="${y + 60}" font-size="10.5" fill="#555">${xml(clip(n.detail2, 58))}</text>` : '',
    ...badges,
    '</g>',
  ].join('');
}

function arrow(e: ArchEdge, from: Rect, to: Rect, at: { sy: number; ty: number }): string {
  const s = sides(from, to);
  const sx = s.out === 'right' ? from.x + from.w : from.x;
  const tx = s.in === 'right' ? to.x + to.w : to.x;
  const { sy, ty } = at;
  let d: string;
  if (s.out === s.in) {
    // Within one column: out of the right side and back in, bulging into the gutter.
    const bulge = 28 + Math.min(30, Math.abs(ty - sy) / 12);
    d = `M${sx},${sy} C${sx + bulge},${sy} ${tx + bulge},${ty} ${tx},${ty}`;
  } else {
    const dir = s.out === 'right' ? 1 : -1;
    const bend = Math.max(40, Math.abs(tx - sx) / 2);
    d = `M${sx},${sy} C${sx + dir * bend},${sy} ${tx - dir * bend},${ty} ${tx},${ty}`;
  }
  const color = e.relation === 'selects' ? SELECTS_COLOR : EDGE_COLOR[e.verdict];
  const dash = e.verdict === 'denied' ? ' stroke-dasharray="6 4"' : e.relation === 'calls' ? ' stroke-dasharray="2 3"' : '';
  const title = `<title>${xml(`${e.from} ${e.relation} ${e.to}${e.port !== undefined ? ` port ${e.port}` : ''}: ${e.verdict}${e.mtls ? ', mTLS' : ''}`)}</title>`;
  const inner = e.mtls ? `<path d="${d}" fill="none" stroke="#fff" stroke-width="1.2"/>` : '';
  return `<g class="edge ${e.relation} ${e.verdict}">${title}<path d="${d}" fill="none" stroke="${color}" stroke-width="${e.mtls ? 4 : 1.6}"${dash} marker-end="url(#arrow-${e.relation === 'selects' ? 'selects' : e.verdict})"/>${inner}</g>`;
}

function legend(y: number): string {
  const item = (x: number, color: string, dash: string, label: string, double = false) =>
    `<path d="M${x},${y} h36" stroke="${color}" stroke-width="${double ? 4 : 2}"${dash}/>${double ? `<path d="M${x},${y} h36" stroke="#fff" stroke-width="1.2"/>` : ''}<text x="${x + 44}" y="${y + 4}" font-size="12" fill="#333">${label}</text>`;
  return [
    item(20, EDGE_COLOR.allowed, '', 'allowed by a NetworkPolicy rule'),
    item(290, EDGE_COLOR.denied, ' stroke-dasharray="6 4"', 'denied (isolated, no rule allows it)'),
    item(580, EDGE_COLOR.open, '', 'no NetworkPolicy applies'),
    item(790, SELECTS_COLOR, '', 'Service selects pods'),
    item(990, EDGE_COLOR.allowed, '', 'mTLS STRICT', true),
    item(1150, EDGE_COLOR.allowed, ' stroke-dasharray="2 3"', 'calls a Service its configuration names'),
    `<rect x="1480" y="${y - 8}" width="64" height="16" rx="3" fill="#fff" stroke="#546e7a" stroke-dasharray="5 3"/><text x="1552" y="${y + 4}" font-size="12" fill="#333">outside the output</text>`,
  ].join('');
}

/** The SVG document of an environment's architecture. */
export function renderDiagram(environment: string, arch: Architecture): string {
  const p = place(arch.nodes, arch.edges);
  const liveLine = arch.live.length > 0
    ? arch.live.map((l) => `${l.service} (${l.namespace}) serves the ${l.colour} colour: ${l.workload}`).join('; ')
    : 'no blue-green component';
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${p.width}" height="${p.height}" viewBox="0 0 ${p.width} ${p.height}" font-family="Roboto, DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title>${xml(`${environment}: architecture drawn from dist/${environment}`)}</title>`,
    '<defs>',
    ...Object.entries({ ...EDGE_COLOR, selects: SELECTS_COLOR }).map(([v, color]) => `<marker id="arrow-${v}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`),
    '</defs>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="34" font-size="24" font-weight="bold" fill="#111">${xml(environment)}</text>`,
    ...arch.live.map((l, i) => `<g class="live-colour" data-service="${xml(l.service)}" data-colour="${xml(l.colour)}"><rect x="${200 + i * 300}" y="15" width="${22 + `LIVE: ${l.colour}`.length * 8}" height="24" rx="12" fill="${colourPaint(l.colour)}"/><text x="${211 + i * 300}" y="32" font-size="13" font-weight="bold" fill="#fff">${xml(`LIVE: ${l.colour}`)}</text></g>`),
    `<text x="20" y="58" font-size="12" fill="#555">${xml(`Generated by npm run diagram from dist/${environment} (do not edit). ${arch.nodes.length} components, ${arch.edges.length} connections. ${liveLine}.`)}</text>`,
    legend(88),
  ];
  for (const panel of p.panels) {
    const { x, y, w, h } = panel.rect;
    out.push(`<g class="panel ${panel.group}"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10" fill="#ffffff" stroke="${STROKE[panel.group]}" stroke-opacity="0.45" stroke-width="1.2"/><text x="${x + 12}" y="${y + 19}" font-size="14" font-weight="bold" fill="${STROKE[panel.group]}">${xml(TITLES[panel.group])} (${panel.count})</text></g>`);
  }
  // Arrows first so that boxes are drawn over their ends.
  const at = anchors(arch.edges, p.boxes);
  for (const e of arch.edges) {
    const a = p.boxes.get(e.from);
    const b = p.boxes.get(e.to);
    if (a && b) out.push(arrow(e, a, b, at.get(e)!));
  }
  for (const n of arch.nodes) out.push(box(n, p.boxes.get(n.id)!));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

