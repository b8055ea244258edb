import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { alertmanagerConfiguration, alertmanagerConfigurationYaml, type AlertmanagerConfigurationProps } from '../../constructs/alertmanager-config';

const props: AlertmanagerConfigurationProps = {
  receivers: [
    { name: 'pager', type: 'pagerduty', credentialFile: '/s/pd' },
    { name: 'chat', type: 'slack', credentialFile: '/s/slack', channel: '#a' },
    { name: 'hb', type: 'webhook', credentialFile: '/s/hb', url: 'https://hb.invalid/ping', authorizationType: 'Bearer' },
  ],
  severityRoutes: { critical: ['pager', 'chat'], warning: ['chat'] },
  defaultReceiver: 'chat',
  heartbeat: { alertname: 'Watchdog', receiver: 'hb', interval: '1m' },
};

describe('alertmanagerConfiguration', () => {
  it('routes the heartbeat alert first and alone, then one route per severity and receiver (continue on all but the last)', () => {
    const c = alertmanagerConfiguration(props) as any;
    expect(c.route.receiver).toBe('chat');
    expect(c.route.routes[0]).toMatchObject({ receiver: 'hb', matchers: ['alertname="Watchdog"'], repeat_interval: '1m' });
    expect(c.route.routes[0].continue).toBeUndefined();
    expect(c.route.routes.slice(1)).toEqual([
      { receiver: 'pager', matchers: ['severity="critical"'], continue: true },
      { receiver: 'chat', matchers: ['severity="critical"'] },
      { receiver: 'chat', matchers: ['severity="warning"'] },
    ]);
  });
  it('reroute: the named alerts go only to its receivers, after the heartbeat and before the severity routes', () => {
    const c = alertmanagerConfiguration({ ...props, reroute: { alertnames: ['AppDown', 'AppSlow'], receivers: ['chat', 'pager'] } }) as any;
    expect(c.route.routes[0].receiver).toBe('hb');
    expect(c.route.routes.slice(1, 3)).toEqual([
      { receiver: 'chat', matchers: ['alertname=~"AppDown|AppSlow"'], continue: true },
      { receiver: 'pager', matchers: ['alertname=~"AppDown|AppSlow"'] },
    ]);
    expect(c.route.routes[3]).toEqual({ receiver: 'pager', matchers: ['severity="critical"'], continue: true });
    expect(() => alertmanagerConfiguration({ ...props, reroute: { alertnames: ['AppDown'], receivers: ['nobody'] } })).toThrow(/reroute.receivers names receiver "nobody"/);
    expect(() => alertmanagerConfiguration({ ...props, reroute: { alertnames: ['AppDown'], receivers: [] } })).toThrow(/reroute has no receiver/);
    expect(() => alertmanagerConfiguration({ ...props, reroute: { alertnames: ['App|Down'], receivers: ['chat'] } })).toThrow(/not a Prometheus alert name/);
  });
  it('credentials only as file paths, never as values', () => {
    const c = alertmanagerConfiguration(props) as any;
    expect(c.receivers).toEqual([
      { name: 'pager', pagerduty_configs: [{ routing_key_file: '/s/pd', send_resolved: true }] },
      { name: 'chat', slack_configs: [{ api_url_file: '/s/slack', channel: '#a', send_resolved: true }] },
      { name: 'hb', webhook_configs: [{ url: 'https://hb.invalid/ping', send_resolved: false, http_config: { authorization: { type: 'Bearer', credentials_file: '/s/hb' } } }] },
    ]);
  });
  it('YAML round-trips and has no template braces', () => {
    const text = alertmanagerConfigurationYaml(props);
    expect(load(text)).toEqual(alertmanagerConfiguration(props));
    expect(text).not.toContain('{{');
  });
  it('refuses unknown receivers, duplicates, empty severities and relative paths', () => {
    expect(() => alertmanagerConfiguration({ ...props, defaultReceiver: 'nobody' })).toThrow('defaultReceiver names receiver "nobody"');
    expect(() => alertmanagerConfiguration({ ...props, heartbeat: { ...props.heartbeat, receiver: 'x' } })).toThrow('heartbeat.receiver names receiver "x"');
    expect(() => alertmanagerConfiguration({ ...props, severityRoutes: { critical: ['x'] } })).toThrow('severityRoutes.critical names receiver "x"');
    expect(() => alertmanagerConfiguration({ ...props, severityRoutes: { critical: [] } })).toThrow('severity "critical" has no receiver');
    expect(() => alertmanagerConfiguration({ ...props, receivers: [...props.receivers, props.receivers[0]] })).toThrow('receiver "pager" is defined twice');
    expect(() => alertmanagerConfiguration({ ...props, receivers: [{ name: 'pager', type: 'pagerduty', credentialFile: 'pd' }] , severityRoutes: { critical: ['pager'] }, defaultReceiver: 'pager', heartbeat: { ...props.heartbeat, receiver: 'pager' } })).toThrow('must be an absolute path');
  });
});
