/**
 * Defensive reading for objects of unknown shape: a chart under construction may write a string where a
 * list belongs. The schema rules report such mistakes; the other rules read lists through {@link arr} and
 * skip what is not a list instead of crashing.
 */

/** The value if it really is an array (whatever its declared type), else an empty array. */
export function arr<T>(value: readonly T[] | undefined | null): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
