/** Semantic diff of synthesized output, on small hand-made fixtures. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffEnvironments, diffFields, diffObjects, formatImageChange, formatJson, formatMarkdown, formatPath, formatText, summariseFields } from '../../tools/diff/diff';
import { objectsFromFiles, readDistAtRevision, readDistDir } from '../../model/dist-files';
import type { KubeObject } from '../../model/kube-object';

function deployment(name: string, replicas: number, tag: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'production', labels: { 'app.kubernetes.io/version': tag } },
    spec: {
      replicas,
      template: {
        metadata: { labels: { 'app.kubernetes.io/version': tag } },
        spec: {
          containers: [
            { name, image: `docker.io/finbot/api:${tag}`, env: [{ name: 'A', value: '1' }] },
            { name: 'sidecar', image: 'docker.io/envoy:1.0' },
          ],
        },
      },
    },
  };
}
const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'production' }, spec: { ports: [{ port: 80 }] } });
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('diffFields', () => {
  it('finds changed leaves and matches named array items by name, not position', () => {
    const a = deployment('finbot-api', 3, 'v4.0.0');
    const b = deployment('finbot-api', 4, 'v4.0.0') as any;
    b.spec.template.spec.containers.reverse();
    expect(diffFields(a, b)).toEqual([{ path: ['spec', 'replicas'], before: 3, after: 4 }]);
  });

  it('reports a whole added sub-tree once, and absent values as undefined', () => {
    const changes = diffFields({ spec: { a: 1 } }, { spec: { a: 1, b: { c: [1, 2] } } });
    expect(changes).toEqual([{ path: ['spec', 'b'], before: undefined, after: { c: [1, 2] } }]);
  });

  it('lists change element by element: scalars as a set, keyed items by name/port/key, the rest by content', () => {
    // The `allow-prometheus-egress` case: a port added to a list of ports is one added port, not "the list changed".
    expect(diffFields({ x: [1, 2] }, { x: [1, 3] })).toEqual([
      { path: ['x', '[-2]'], before: 2, after: undefined },
      { path: ['x', '[+3]'], before: undefined, after: 3 },
    ]);
    expect(diffFields({ x: [1] }, { x: [1, 2] })).toEqual([{ path: ['x', '[+2]'], before: undefined, after: 2 }]);
    expect(diffFields({ x: [1, 2] }, { x: [2, 1] })).toEqual([{ path: ['x', '(order)'], before: [1, 2], after: [2, 1] }]);
    const ports = (...p: number[]) => p.map((port) => ({ port, protocol: 'TCP' }));
    expect(diffFields({ ports: ports(9090, 9093) }, { ports: ports(9090, 9093, 9115) })).toEqual([
      { path: ['ports', '[port=9115]'], before: undefined, after: { port: 9115, protocol: 'TCP' } },
    ]);
    const rule = (ns: string) => ({ to: [{ namespaceSelector: { matchLabels: { name: ns } } }] });
    expect(diffFields({ egress: [rule('a'), rule('b')] }, { egress: [rule('a'), rule('c'), rule('b')] })).toEqual([
      { path: ['egress', '[1]'], before: undefined, after: rule('c') },
    ]);
    expect(diffFields({ egress: [rule('a'), rule('b')] }, { egress: [rule('a'), rule('c')] })).toEqual([
      { path: ['egress', '[1]', 'to', '[0]', 'namespaceSelector', 'matchLabels', 'name'], before: 'b', after: 'c' },
    ]);
  });

  it('shows where a long string differs, not two identical cut prefixes', () => {
    const a = `{"title":"FinBot","panels":[${'{"x":1},'.repeat(20)}{"expr":"rate(a[5m])"}]}`;
    const b = a.replace('rate(a[5m])', 'rate(b[5m])');
    const [phrase] = summariseFields(diffFields({ data: { d: a } }, { data: { d: b } }));
    expect(phrase).toContain('rate(a');
    expect(phrase).toContain('rate(b');
  });
});

describe('diffObjects', () => {
  it('sorts removed, added, changed and counts the unchanged', () => {
    const before = [deployment('finbot-api', 3, 'v4.0.0'), service('old'), namespace('production')];
    const after = [namespace('production'), service('new'), deployment('finbot-api', 4, 'v4.0.1')];
    const { changes, unchanged } = diffObjects(before, after);
    expect(unchanged).toBe(1);
    expect(changes.map((c) => `${c.change} ${c.kind} ${c.name}`)).toEqual(['removed Service old', 'added Service new', 'changed Deployment finbot-api']);
    expect(changes[1].namespace).toBe('production');
  });

  it('treats an apiVersion bump within a group as a change, not a new object', () => {
    const a: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } };
    const b: KubeObject = { ...a, apiVersion: 'autoscaling/v2' };
    const { changes } = diffObjects([a], [b]);
    expect(changes).toHaveLength(1);
    expect(changes[0].change).toBe('changed');
  });
});

describe('summaries', () => {
  it('names images by container, shows only the new tag, and says a repeated change once', () => {
    const fields = diffFields(deployment('finbot-api', 3, 'v4.0.0'), deployment('finbot-api', 4, 'v4.0.1'));
    expect(summariseFields(fields)).toEqual([
      'image finbot-api: docker.io/finbot/api:v4.0.0 → v4.0.1',
      'labels["app.kubernetes.io/version"] v4.0.0 → v4.0.1 (2 places)',
      'spec.replicas 3 → 4',
    ]);
  });

  it('formats paths and values people can read', () => {
    expect(formatPath(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'])).toBe('metadata.annotations["argocd.argoproj.io/sync-wave"]');
    expect(formatPath(['spec', 'containers', '[api]', 'ports', '[0]'])).toBe('spec.containers[api].ports[0]');
    expect(formatImageChange('r/a:1', 'r/b:2')).toBe('r/a:1 → r/b:2');
    expect(formatImageChange('r/a:1', 'r/a:2')).toBe('r/a:1 → 2');
  });

  it('text: one block per environment, new and removed environments named', () => {
    const before = new Map([['production', [deployment('finbot-api', 3, 'v4.0.0')]], ['old-env', [namespace('x')]]]);
    const after = new Map([['production', [deployment('finbot-api', 4, 'v4.0.0')]], ['staging', [namespace('staging')]]]);
    const text = formatText(diffEnvironments(before, after));
    expect(text).toBe([
      'old-env: 0 added, 1 removed, 0 changed, 0 unchanged (environment removed)',
      '  - Namespace x',
      '      - apiVersion: v1',
      '      - kind: Namespace',
      '      - metadata:',
      '      -   name: x',
      'production: 0 added, 0 removed, 1 changed, 0 unchanged',
      '  ~ Deployment production/finbot-api: spec.replicas 3 → 4',
      'staging: 1 added, 0 removed, 0 changed, 0 unchanged (new environment)',
      '  + Namespace staging',
      '      + apiVersion: v1',
      '      + kind: Namespace',
      '      + metadata:',
      '      +   name: staging',
      '',
    ].join('\n'));
  });

  it('Markdown shows added and removed objects in full (folded); JSON carries every change', () => {
    const before = new Map([['production', [namespace('gone')]]]);
    const after = new Map([['production', [namespace('new')]]]);
    const md = formatMarkdown(diffEnvironments(before, after));
    expect(md).toContain('<details><summary>added Namespace <code>new</code></summary>');
    expect(md).toContain('```yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: new\n```');
    const json = JSON.parse(formatJson(diffEnvironments(new Map([['production', [deployment('finbot-api', 3, 'v1')]]]), new Map([['production', [deployment('finbot-api', 4, 'v1')]]]))));
    expect(json[0].changes[0].fields).toEqual([{ path: 'spec.replicas', before: 3, after: 4 }]);
    expect(formatText(diffEnvironments(before, after), { maxObjectLines: 0 })).not.toContain('apiVersion');
  });

  it('text and Markdown say so when nothing changed', () => {
    const same = new Map([['production', [namespace('production')]]]);
    expect(formatText(diffEnvironments(same, same))).toBe('No changes.\n');
    expect(formatMarkdown(diffEnvironments(same, same))).toContain('No changes.');
  });

  it('Markdown: a table per environment with escaped cells and a limit on fields', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 'x|y', b: '1', c: '1' } };
    const b: KubeObject = { ...a, data: { a: 'x|z', b: '2', c: '2' } };
    const md = formatMarkdown(diffEnvironments(new Map([['production', [a]]]), new Map([['production', [b]]])), { maxFields: 1 });
    expect(md).toContain('### production');
    expect(md).toContain('| changed | ConfigMap | `n/c` | `data.a x\\|y → x\\|z`<br>`… 2 more` |');
  });
});

describe('reading dist', () => {
  const files = new Map([
    ['production/apps.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n'],
    ['production/platform.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n'],
    ['staging/apps.yaml', '---\n'],
    ['README.md', 'not yaml'],
  ]);

  it('groups YAML files by environment in file order and skips empty documents', () => {
    const objects = objectsFromFiles(files);
    expect([...objects.keys()]).toEqual(['production', 'staging']);
    expect(objects.get('production')!.map((o) => o.metadata.name)).toEqual(['a', 'b', 'production']);
    expect(objects.get('staging')).toEqual([]);
  });

  it('reads the same objects from a folder and from a git revision', () => {
    const repo = mkdtempSync(join(tmpdir(), 'finbot-diff-'));
    try {
      for (const [path, text] of files) {
        mkdirSync(join(repo, 'dist', path, '..'), { recursive: true });
        writeFileSync(join(repo, 'dist', path), text);
      }
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: repo, stdio: 'ignore' });
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'x');
      expect(readDistAtRevision(repo, 'HEAD')).toEqual(readDistDir(join(repo, 'dist')));
      expect(readDistAtRevision(repo, 'HEAD').get('production')).toHaveLength(3);
      expect(() => readDistAtRevision(repo, 'no-such-ref')).toThrow();
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
