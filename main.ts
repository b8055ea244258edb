/**
 * Entry point of `npx cdk8s synth` and `npm run synth`: loads and validates the settings of every environment
 * (all problems of all environments in one report), renders every chart, runs the checks of `npm run validate`
 * on the result and writes dist/<env>/*.yaml all-or-nothing.
 *
 * Usage: main.ts [--help] [--stdout] [--no-validate] [--verbose] [ENV ...]
 * The only module that reads process.env or argv.
 *
 * Run directly, it synthesizes at once. When fast-start/synth.mjs builds a V8 startup snapshot of the bundled
 * app, nothing runs at load; the snapshot's prelude calls {@link warmUp} and later {@link cli}.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { buildEnvironment } from './charts/environment';
import { listEnvironments, loadAllSettings, loadSettings, SettingsError } from './config/load';
import type { Settings } from './config/schema';
import { DIST_DIR, ENVIRONMENTS_DIR, REPO_ROOT } from './config/paths';
import { DistLockedError } from './model/dist-journal';
import { sourceStream } from './model/source-stream';
import { changeLine } from './synth/change-summary';
import { renderEnvironment } from './synth/render';
import { mirror, writeDist, type RenderedEnvironment } from './synth/write-dist';
import { main as validateCommand } from './validation/cli';
import { validateRendered } from './validation/run';

const HELP = `Synthesizes dist/<env>/*.yaml from config/environments/<env>/*.yaml.

Usage: npm run synth [-- [options] [ENV ...]]
       npm run synth:cli          (the cdk8s CLI: same, then the validation plugin of cdk8s.yaml)

  ENV            environment(s) to synthesize (default: all; also FINBOT_ENV=production,staging)
  --stdout       print the rendered YAML of ENV to stdout (helm template style); dist/ is not touched
  --no-validate  skip the checks of npm run validate before writing (for debugging only)
  --verbose      on a code error, show the stack trace into the TypeScript sources
  --help         show this help

Every settings problem of every environment is reported, one line each, naming environment, file, field
(YAML path) and line; then nothing is written. Before writing, the output passes the checks of
\`npm run validate\`; if it fails them, dist/ stays as it was. dist/ is replaced all-or-nothing; a second synth
in the same checkout waits for the first; a run that was killed half-way is rolled back by the next one.

Environment variables (for tests and fixtures):
  FINBOT_CONFIG_DIR  folder of environment folders   (default: config/environments)
  FINBOT_DIST_DIR    output folder                    (default: dist)

Exit codes: 0 written (or unchanged), 1 refused (settings, validation, code error), 2 usage error.`;

const OPTIONS = new Set(['--help', '-h', '--stdout', '--no-validate', '--verbose']);

/**
 * Is this the folder the cdk8s CLI synthesizes into for `--stdout`? cdk8s-cli 2.207.60 makes it with
 * `fs.mkdtemp(path.join(os.tmpdir(), 'cdk8s-'))` (lib/util.js `mkdtemp`, used by lib/cli/cmds/synth.js for
 * `--stdout`); otherwise it uses `--output` or cdk8s.yaml's `output` (.cdk8s-out).
 */
function isCliStdoutDir(dir: string): boolean {
  return dirname(resolve(dir)) === resolve(tmpdir()) && /^cdk8s-[A-Za-z0-9]{6}$/.test(basename(dir));
}

/** A refusal with a message of its own (no stack trace, exit 1). */
class Refused extends Error {}
/** A usage error (exit 2). */
class UsageError extends Error {}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/**
 * Runs the command of `npm run validate` (validation/cli.ts) in this process on the staged output, exactly as
 * `npm run validate ENV...` with FINBOT_DIST_DIR set to the staging folder would (given the settings this run
 * loaded instead of reading them again); throws when it finds violations. In process rather than as a child:
 * the synth's startup snapshot holds the validation warm too (see {@link warmUp}), and a second node start
 * would cost more than the whole validation.
 */
async function validateStaged(stagingDir: string, envs: readonly string[], configDir: string, env: Env, settings: ReadonlyMap<string, Settings>): Promise<number> {
  const started = performance.now();
  let report = '';
  const collect = (s: string) => {
    report += s;
  };
  const code = await validateCommand(envs, { ...env, FINBOT_DIST_DIR: stagingDir, FINBOT_CONFIG_DIR: configDir }, collect, collect, settings);
  if (code === 0) return performance.now() - started;
  report = report.trimEnd();
  if (code === 1) {
    throw new Refused(`the output fails the checks of npm run validate (files shown as staged in ${display(stagingDir)}):\n${report}\nFix the settings or code; --no-validate writes it anyway, for debugging only.`);
  }
  throw new Refused(`the validation could not run (exit code ${code}):\n${report}`);
}

async function main(argv: readonly string[], io: Io): Promise<number> {
  const env = io.env;
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${HELP}\n`);
    return 0;
  }
  const unknown = argv.filter((a) => a.startsWith('-') && !OPTIONS.has(a));
  if (unknown.length > 0) throw new UsageError(`unknown option(s) ${unknown.join(', ')}`);
  const args = argv.filter((a) => !a.startsWith('-'));
  const requested = args.length > 0 ? args : (env.FINBOT_ENV?.split(',').filter(Boolean) ?? []);
  const configDir = env.FINBOT_CONFIG_DIR ? resolve(env.FINBOT_CONFIG_DIR) : ENVIRONMENTS_DIR;
  const distDir = env.FINBOT_DIST_DIR ? resolve(env.FINBOT_DIST_DIR) : DIST_DIR;
  const toStdout = argv.includes('--stdout');
  const started = performance.now();
  const all = listEnvironments(configDir);
  const names = requested.length > 0 ? requested : all;

  const settings = loadAllSettings(names, configDir);
  const rendered = new Map<string, RenderedEnvironment>();
  const renderMs = new Map<string, number>();
  for (const [name, s] of settings) {
    const t = performance.now();
    rendered.set(name, renderEnvironment(buildEnvironment(s)));
    renderMs.set(name, performance.now() - t);
  }

  if (toStdout) {
    // helm template style: one stream, each file's documents after a `# Source:` comment.
    io.out(sourceStream(rendered));
    return 0;
  }

  let validationMs: number | undefined;
  const changes = await writeDist(distDir, rendered, {
    prune: requested.length === 0,
    check: argv.includes('--no-validate') ? undefined : async (staging, staged) => {
      validationMs = await validateStaged(staging, staged, configDir, env, settings);
    },
    notify: (m) => io.err(`note: ${m}\n`),
    afterRename: crashHook(env),
  });
  // The cdk8s CLI runs its validation plugins on what the app leaves in CDK8S_OUTDIR.
  const cliOut = env.CDK8S_OUTDIR;
  if (cliOut && resolve(cliOut) !== distDir) {
    if (isCliStdoutDir(cliOut)) {
      // `cdk8s synth --stdout` pipes every file of its folder to stdout at once: leave it one stream
      // (model/source-stream.ts), which it prints whole, without MaxListenersExceededWarning.
      mkdirSync(cliOut, { recursive: true });
      writeFileSync(join(cliOut, 'finbot.k8s.yaml'), sourceStream(rendered));
    } else mirror(distDir, rendered.keys(), cliOut);
  }

  const lines = changes.map((c) => changeLine(c, renderMs.get(c.env)));
  const total = performance.now() - started;
  const checked = validationMs === undefined ? 'not validated (--no-validate)' : `validated in ${Math.round(validationMs)} ms`;
  io.err(`${lines.join('\n')}\n${display(distDir)}/: ${changes.some((c) => c.status !== 'unchanged') ? 'updated' : 'unchanged'}, ${checked}, ${Math.round(total)} ms in all\n`);
  return 0;
}

/**
 * For the kill tests (test/synth/interrupt.test.ts): FINBOT_TEST_KILL_AFTER_RENAME=N kills this process with
 * SIGKILL right after the N-th rename of the swap, as a power cut or `kill -9` would.
 */
function crashHook(env: Env): ((n: number) => void) | undefined {
  const at = Number(env.FINBOT_TEST_KILL_AFTER_RENAME);
  if (!Number.isInteger(at) || at < 1) return undefined;
  return (n) => {
    if (n === at) process.kill(process.pid, 'SIGKILL');
  };
}

/** Environment variables the command reads. */
type Env = Readonly<Record<string, string | undefined>>;

/** Where the command reads its environment and writes its output (tests pass their own). */
export interface Io {
  readonly env: Env;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/** The process's own environment and streams, read at run time (a startup snapshot cannot hold process.env). */
function processIo(): Io {
  return { env: process.env, out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
}
let pipeHandled = false;
/**
 * `npm run synth -- ENV --stdout | head`: a closed pipe ends the output, not with a stack trace. Installed at run
 * time, never at load: a startup snapshot cannot hold listeners on process.stdout.
 */
function quietOnClosedPipe(): void {
  if (pipeHandled) return;
  pipeHandled = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Runs the synth with command-line arguments (without node and script); resolves to the exit code. */
export async function cli(argv: readonly string[], given?: Io): Promise<number> {
  if (given === undefined) quietOnClosedPipe();
  const io = given ?? processIo();
  const env = io.env;
  const code = await run(argv, io);
  // Under the cdk8s CLI (CDK8S_OUTDIR set), a non-zero exit makes the CLI print a JavaScript stack trace after
  // our message. Leaving no output folder instead makes it print one line ("app expected to create ...") and
  // exit 1: the same refusal, without the stack.
  const cliOut = env.CDK8S_OUTDIR;
  if (code === 1 && cliOut) {
    const distDir = env.FINBOT_DIST_DIR ? resolve(env.FINBOT_DIST_DIR) : DIST_DIR;
    if (resolve(cliOut) !== distDir) rmSync(cliOut, { recursive: true, force: true });
    return 0;
  }
  return code;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const env = io.env;
  try {
    return await main(argv, io);
  } catch (err) {
    if (err instanceof SettingsError) {
      const n = err.problems.length;
      const head = n === 1 ? 'error: invalid settings: ' : `error: invalid settings (${n} problems):\n  `;
      io.err(`${head}${err.problems.length === 1 ? err.message : err.message.split('\n').join('\n  ')}\ndist/ was left unchanged.\n`);
      return 1;
    }
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${HELP}\n`);
      return 2;
    }
    if (err instanceof Refused || err instanceof DistLockedError) {
      io.err(`error: ${err.message}\ndist/ was left unchanged.\n`);
      return 1;
    }
    const e = err as Error;
    const verbose = argv.includes('--verbose') || Boolean(env.DEBUG);
    io.err(`error: synth failed: ${e?.message ?? String(err)}\n`);
    if (!verbose) {
      io.err('dist/ was left unchanged. Run with --verbose for the stack trace into the TypeScript sources.\n');
      return 1;
    }
    if (/\.ts:\d+:\d+\)?$/m.test(e?.stack ?? '') || env.FINBOT_FROM_SOURCES) {
      io.err(`${e.stack}\ndist/ was left unchanged.\n`);
      return 1;
    }
    // Running from the bundle: its stack points into generated code. Run again from the TypeScript sources
    // (tsx maps every frame to its .ts line), which fails the same way before anything is written.
    io.err('note: running again from the TypeScript sources for a source-mapped stack trace\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'main.ts'), ...argv], {
      cwd: REPO_ROOT,
      env: {
        ...env,
        FINBOT_FROM_SOURCES: '1',
        FINBOT_CONFIG_DIR: env.FINBOT_CONFIG_DIR ? resolve(env.FINBOT_CONFIG_DIR) : '',
        FINBOT_DIST_DIR: env.FINBOT_DIST_DIR ? resolve(env.FINBOT_DIST_DIR) : '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return r.status ?? 1;
  }
}

/**
 * Renders and validates every environment of config/environments in memory and drops the result. Used while
 * building the startup snapshot, so that the snapshot holds compiled functions and filled caches (YAML scalars,
 * compiled schema validators), not output: settings are read again at every run. Errors are ignored here (a
 * run reports them).
 */
export async function warmUp(): Promise<void> {
  for (const env of listEnvironments(ENVIRONMENTS_DIR)) {
    try {
      const files = renderEnvironment(buildEnvironment(loadSettings(env, ENVIRONMENTS_DIR)));
      await validateRendered(env, files, ENVIRONMENTS_DIR);
    } catch {
      // Bad settings or output: the snapshot is only less warm.
    }
  }
}

// Runs as a program (node main.ts), not when a test imports it, nor from the bundle (fast-start's slow path
// and the snapshot's prelude call cli themselves).
const entry = process.argv[1] ?? '';
if (!startupSnapshot.isBuildingSnapshot() && /(^|[/\\])main\.ts$/.test(entry)) {
  void cli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
