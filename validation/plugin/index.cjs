// cdk8s validation plugin (cdk8s.yaml `validations: [{ package: ./validation/plugin, class: FinbotValidation }]`).
// The CLI require()s this CommonJS file; validate() is async, so it imports the ESM bundle of
// validation/plugin-core.ts (built on demand by scripts/validate.mjs) and delegates to it.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const SCRIPT = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'validate.mjs')).href;

class FinbotValidation {
  /** @param {{ configDir?: string }} properties from cdk8s.yaml `properties:` */
  constructor(properties) {
    // FINBOT_CONFIG_DIR: the same override main.ts honours, so fixture runs validate with fixture settings.
    this.properties = { configDir: process.env.FINBOT_CONFIG_DIR, ...(properties || {}) };
  }

  /** @param {import('cdk8s-cli/lib/plugins/validation').ValidationContext} context */
  async validate(context) {
    const { ensureValidationBundle } = await import(SCRIPT);
    const { plugin } = await ensureValidationBundle();
    const core = await import(pathToFileURL(plugin).href);
    await core.validateForCli(context, this.properties);
  }
}

module.exports = { FinbotValidation };
