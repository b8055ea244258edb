import { writeFileSync, rmSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEnvironments, loadSettings } from '../../config/load';
import { ENVIRONMENTS_DIR } from '../../config/paths';
import { scratchSettings } from '../helpers';

const scratch = scratchSettings();
beforeEach(() => scratch.setup());
afterEach(() => scratch.cleanup());
const errorOf = (env: string) => scratch.errorOf(env);
const edit = (env: string, section: string, from: string | RegExp, to: string) => scratch.edit(env, section, from, to);

describe('loadSettings', () => {
  it('lists the folders of config/environments, sorted', () => {
    const folders = readdirSync(ENVIRONMENTS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual(expect.arrayContaining(['production', 'production-dr', 'staging']));
    expect(listEnvironments(scratch.dir)).toEqual(folders);
  });

  it('loads the committed environments', () => {
    expect(loadSettings('production', scratch.dir).apps.api.autoscaling?.maxReplicas).toBe(20);
    expect(loadSettings('staging', scratch.dir).apps.api.autoscaling?.maxReplicas).toBe(3);
  });

  it('rejects an unknown environment, naming the known ones', () => {
    const e = errorOf('prod');
    expect(e.message).toContain('unknown environment "prod"');
    expect(e.message).toContain(listEnvironments(scratch.dir).join(', '));
  });

  it('rejects an unknown field with file and path', () => {
    edit('production', 'apps', '  port: 3001', '  replcias: 4\n  port: 3001');
    const e = errorOf('production');
    expect(e.file).toMatch(/production[/\\]apps\.yaml$/);
    expect(e.field).toBe('api');
    expect(e.message).toContain('unknown field(s) "replcias"');
  });

  it('rejects a wrong type', () => {
    edit('staging', 'apps', /maxReplicas: \d+/, 'maxReplicas: two');
    const e = errorOf('staging');
    expect(e.environment).toBe('staging');
    expect(e.field).toBe('api.autoscaling.maxReplicas');
    expect(e.message).toMatch(/must be a whole number/);
  });

  it('rejects a bad quantity such as 512MB and says which unit to use', () => {
    edit('production', 'apps', 'limits: { cpu: 500m, memory: 512Mi }', 'limits: { cpu: 500m, memory: 512MB }');
    const e = errorOf('production');
    expect(e.field).toBe('api.resources.limits.memory');
    expect(e.message).toContain('use Mi/Gi');
  });

  it('rejects minReplicas above maxReplicas', () => {
    edit('production', 'apps', 'minReplicas: 3\n    maxReplicas: 20', 'minReplicas: 30\n    maxReplicas: 20');
    const e = errorOf('production');
    expect(e.field).toBe('api.autoscaling.minReplicas');
    expect(e.message).toContain('minReplicas 30 is above maxReplicas 20');
  });

  it('rejects limits below requests', () => {
    edit('production', 'apps', 'limits: { cpu: 500m, memory: 512Mi }', 'limits: { cpu: 100m, memory: 512Mi }');
    const e = errorOf('production');
    expect(e.field).toBe('api.resources.limits.cpu');
    expect(e.message).toContain('below the request 250m');
  });

  it('rejects the latest tag', () => {
    edit('production', 'apps', 'repository: finbot/web, tag: v4.0.0', 'repository: finbot/web, tag: latest');
    const e = errorOf('production');
    expect(e.field).toBe('web.image.tag');
    expect(e.message).toContain('"latest" is not allowed');
  });

  it('rejects malformed YAML with the line', () => {
    edit('production', 'platform', 'region: us-west-2', 'region: [us-west-2');
    const e = errorOf('production');
    expect(e.file).toMatch(/platform\.yaml$/);
    expect(e.message).toContain('malformed YAML');
    expect(e.field).toMatch(/^line \d+, column \d+$/);
  });

  it('rejects an unknown settings file', () => {
    writeFileSync(join(scratch.dir, 'production', 'extras.yaml'), 'a: 1\n');
    expect(errorOf('production').message).toContain('unknown settings file');
  });

  it('rejects a missing settings file', () => {
    rmSync(join(scratch.dir, 'staging', 'apps.yaml'));
    const e = errorOf('staging');
    expect(e.file).toMatch(/staging[/\\]apps\.yaml$/);
    expect(e.message).toContain('file is missing');
  });

  it('rejects a missing required field', () => {
    edit('production', 'platform', /clusterName: .*\n/, '');
    const e = errorOf('production');
    expect(e.field).toBe('clusterName');
    expect(e.message).toContain('required field is missing');
  });

  it('lists only folders as environments', () => {
    mkdirSync(join(scratch.dir, 'qa'));
    writeFileSync(join(scratch.dir, 'README'), 'x');
    const before = listEnvironments(ENVIRONMENTS_DIR);
    expect(listEnvironments(scratch.dir)).toEqual([...before, 'qa'].sort());
  });
});
