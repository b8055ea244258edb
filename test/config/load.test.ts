import { writeFileSync, rmSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
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

  it('loads the committed environments: the values of their files, under their own name', () => {
    for (const env of listEnvironments(scratch.dir)) {
      const raw = yaml.load(readFileSync(join(scratch.dir, env, 'apps.yaml'), 'utf8')) as any;
      const s = loadSettings(env, scratch.dir);
      expect(s.name).toBe(env);
      // a standby region's HPAs are bounded by its standby sizes (withRegionRole), every other one's are the file's
      const standby = s.platform.dr?.role === 'standby' ? s.platform.dr.standby.apps.api : undefined;
      expect(s.apps.api.autoscaling?.maxReplicas, env).toBe(standby?.maxReplicas ?? raw.api.autoscaling.maxReplicas);
      expect(s.apps.web.image.tag, env).toBe(String(raw.web.image.tag));
    }
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
    const max = loadSettings('production', scratch.dir).apps.api.autoscaling!.maxReplicas;
    edit('production', 'apps', /minReplicas: \d+(\n    maxReplicas: \d+)/, `minReplicas: ${max + 1}$1`);
    const e = errorOf('production');
    expect(e.field).toBe('api.autoscaling.minReplicas');
    expect(e.message).toContain(`minReplicas ${max + 1} is above maxReplicas ${max}`);
  });

  it('rejects limits below requests', () => {
    const { requests } = loadSettings('production', scratch.dir).apps.api.resources;
    edit('production', 'apps', /(?<head>\n    limits: \{ cpu: )[^,]+/, '$<head>1m');
    const e = errorOf('production');
    expect(e.field).toBe('api.resources.limits.cpu');
    expect(e.message).toContain(`below the request ${requests.cpu}`);
  });

  it('rejects the latest tag', () => {
    edit('production', 'apps', /(repository: finbot\/web, tag: )[^ }]+/, '$1latest');
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
