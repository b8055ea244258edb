// cdk8s validation plugin (cdk8s.yaml `validations: [{ package: ./validation/plugin, class: FinbotValidation }]`).
// The CLI require()s this CommonJS file inside its own process, which has no code cache and would spend
// most of a second loading the validation. So the plugin stays small: it runs
// `fast-start/run.sh validate --cdk8s-plugin <manifests>` (node from the validation's startup snapshot; see
// validation/plugin-core.ts), which prints the report as JSON, and hands that report to the CLI.
'use strict';
const { spawnSync } = require('node:child_process');
const { resolve, join } = require('node:path');

const LAUNCHER = join(__dirname, '..', '..', 'fast-start', 'run.sh');

class FinbotValidation {
  /** @param {{ configDir?: string }} properties from cdk8s.yaml `properties:` */
  constructor(properties) {
    // FINBOT_CONFIG_DIR: the same override main.ts honours, so fixture runs validate with fixture settings.
    this.properties = { configDir: process.env.FINBOT_CONFIG_DIR, ...(properties || {}) };
  }

  /** @param {import('cdk8s-cli/lib/plugins/validation').ValidationContext} context */
  async validate(context) {
    const env = { ...process.env };
    if (this.properties.configDir) env.FINBOT_CONFIG_DIR = resolve(this.properties.configDir);
    const r = spawnSync('sh', [LAUNCHER, 'validate', '--cdk8s-plugin', ...context.manifests], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) {
      // One line, no stack trace: the CLI prints a thrown error's stack, so report a failure instead.
      const why = (r.stderr || r.error?.message || '').trim().split('\n').filter(Boolean).join(' / ');
      process.stderr.write(`error: the validation could not run (exit code ${r.status ?? r.signal}): ${why}\n`);
      context.report.submit('failure', { error: why });
      return;
    }
    if (r.stderr) process.stderr.write(r.stderr);
    const report = JSON.parse(r.stdout);
    for (const violation of report.violations) context.report.addViolation(violation);
    context.report.submit(report.status, report.metadata);
  }
}

module.exports = { FinbotValidation };
