/**
 * Parses Kubernetes resource quantities into plain numbers, so settings can be compared
 * (limits vs requests) and summed (capacity reports).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Bytes (memory/storage) or cores (CPU) of a quantity such as `256Mi`, `1Gi`, `250m`, `0.5`. */
export function parseQuantity(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)([A-Za-z]*)$/.exec(q);
  if (!m) throw new Error(`not a Kubernetes quantity: "${q}"`);
  const value = Number(m[1]);
  const suffix = m[2];
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  if (factor === undefined) throw new Error(`unknown quantity suffix "${suffix}" in "${q}"`);
  return value * factor;
}

/** Like {@link parseQuantity}, but `undefined` for a malformed quantity (reported elsewhere). */
export function tryParseQuantity(q: string): number | undefined {
  try {
    return parseQuantity(q);
  } catch {
    return undefined;
  }
}
