/**
 * In-place edits of settings YAML with the `yaml` package: the key path is looked up in the parsed document
 * (any layout: block or flow mappings, comments anywhere), and only that scalar's source text is replaced
 * in the file's concrete syntax tree, so every other byte — comments, blank lines, spacing, quoting — stays
 * as it was.
 * @see https://eemeli.org/yaml/#working-with-cst-tokens
 */
import { Composer, CST, isMap, isScalar, Parser } from 'yaml';

/** Thrown when a key path cannot be edited safely. */
export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

/**
 * A plain scalar that needs no quotes in YAML, block or flow (tags, colours, numbers), optionally with an image
 * digest (`v4.1.0@sha256:<hex>`): `@` only starts nothing inside a scalar, and a `:` followed by a letter or
 * digit is no key separator in either context (YAML 1.2, ns-plain-char).
 */
function assertPlain(value: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*(@sha256:[a-f0-9]+)?$/.test(value)) {
    throw new YamlEditError(`refusing to write "${value}": only plain values (letters, digits, . _ -, and an @sha256: digest) are edited`);
  }
}

/**
 * Sets the scalar at `path` (e.g. ['api', 'colours', 'green', 'tag']) to `value`, keeping everything else.
 * @throws YamlEditError when the text is not one valid YAML document, or the path is missing or not a scalar.
 */
export function setYamlScalar(text: string, path: readonly string[], value: string): string {
  if (path.length === 0) throw new YamlEditError('empty key path');
  assertPlain(value);
  const tokens = [...new Parser().parse(text)];
  const docs = [...new Composer({ keepSourceTokens: true }).compose(tokens)];
  if (docs.length !== 1) throw new YamlEditError(`expected one YAML document, found ${docs.length}`);
  const [doc] = docs;
  if (doc.errors.length > 0) throw new YamlEditError(`not valid YAML: ${doc.errors[0].message}`);
  let node: unknown = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    if (!isMap(node) || !node.has(path[depth])) throw new YamlEditError(`key ${path.slice(0, depth + 1).join('.')} not found`);
    node = node.get(path[depth], true);
  }
  if (!isScalar(node) || node.srcToken === undefined || !CST.isScalar(node.srcToken)) throw new YamlEditError(`${path.join('.')} is not a scalar`);
  // The scalar keeps its style (plain, quoted, block): only its text changes.
  CST.setScalarValue(node.srcToken, value);
  return tokens.map((t) => CST.stringify(t)).join('');
}
