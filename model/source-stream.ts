/**
 * The one-stream form of synthesized output (helm template style): each file's YAML after a
 * `---\n# Source: <env>/<file>\n` line. `npm run synth -- ENV --stdout` prints it; under the cdk8s CLI's
 * `--stdout` the app leaves it as the only manifest, because the CLI pipes every manifest file to stdout at
 * once (cdk8s-cli 2.207.60 lib/cli/cmds/synth.js: one `createReadStream(f).pipe(process.stdout)` per file, no
 * separator): more than 10 files raise MaxListenersExceededWarning, files above 64 KiB interleave, and
 * consecutive files run together. The validation reads the stream back per source file.
 */

/** The stream of rendered environments (environment → file name → YAML text), in the given order. */
export function sourceStream(envs: ReadonlyMap<string, ReadonlyMap<string, string>>): string {
  const out: string[] = [];
  for (const [env, files] of envs) for (const [file, text] of files) out.push(`---\n# Source: ${env}/${file}\n${text}`);
  return out.join('');
}

/** The files of a stream (`undefined` when the text is not one): environment, file name and YAML text each. */
export function splitSourceStream(text: string): Array<{ env: string; file: string; text: string }> | undefined {
  if (!text.startsWith('---\n# Source: ')) return undefined;
  const parts = text.split(/^---\n# Source: /m).slice(1);
  return parts.map((p) => {
    const nl = p.indexOf('\n');
    const source = p.slice(0, nl);
    const slash = source.indexOf('/');
    return { env: source.slice(0, slash), file: source.slice(slash + 1), text: p.slice(nl + 1) };
  });
}
