/**
 * Where each value of a YAML document starts (line and column, 1-based), keyed by its path, so that a settings
 * error can point into the file. Reads js-yaml's own event stream (the one YAML library of the project).
 */
import { EVENT_ID, getScalarValue, parseEvents, type Event } from 'js-yaml';

/** A place in a text file, 1-based. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Key of a path in the map {@link yamlPositions} returns. */
export function pathKey(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => String(p)).join('\u0000');
}

interface Frame {
  readonly kind: 'map' | 'seq';
  readonly path: PropertyKey[];
  /** map: the key whose value comes next (undefined: the next scalar is a key). */
  key?: string;
  index: number;
}

/**
 * Positions of every mapping key (the position of `key:`, where an editor should jump) and sequence item of a
 * single-document YAML text. Returns an empty map when the text does not parse.
 */
export function yamlPositions(text: string): Map<string, Position> {
  const out = new Map<string, Position>();
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return out;
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const at = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const stack: Frame[] = [];
  // The path a value at the current point gets, or undefined when the next scalar is a mapping key.
  const valuePath = (): PropertyKey[] | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    if (top.kind === 'seq') return [...top.path, top.index++];
    if (top.key === undefined) return undefined;
    const p = [...top.path, top.key];
    top.key = undefined;
    return p;
  };
  for (const e of events) {
    if (e.type === EVENT_ID.SCALAR) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'map' && top.key === undefined) {
        top.key = getScalarValue(text, e);
        const start = e.valueStart >= 0 ? e.valueStart : 0;
        // Quoted keys start one character before their value.
        out.set(pathKey([...top.path, top.key]), at(e.style === 2 || e.style === 3 ? Math.max(0, start - 1) : start));
      } else {
        const p = valuePath();
        if (p && e.valueStart >= 0 && !out.has(pathKey(p))) out.set(pathKey(p), at(e.valueStart));
      }
    } else if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
      const p = valuePath() ?? [];
      if (e.start >= 0 && !out.has(pathKey(p))) out.set(pathKey(p), at(e.start));
      stack.push({ kind: e.type === EVENT_ID.MAPPING ? 'map' : 'seq', path: p, index: 0 });
    } else if (e.type === EVENT_ID.ALIAS) {
      valuePath();
    } else if (e.type === EVENT_ID.POP) {
      stack.pop();
    }
  }
  return out;
}

/** The position of a path, or of its nearest ancestor that the text holds (a missing field: its parent). */
export function positionOf(positions: ReadonlyMap<string, Position>, path: ReadonlyArray<PropertyKey>): Position | undefined {
  for (let n = path.length; n > 0; n--) {
    const p = positions.get(pathKey(path.slice(0, n)));
    if (p) return p;
  }
  return undefined;
}
