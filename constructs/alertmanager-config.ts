/**
 * The Alertmanager configuration (`alertmanager.yaml`) of FinBot: receivers, a route per severity, the
 * Watchdog route to the heartbeat receiver, and optionally alerts rerouted away from their severity's receivers. Credentials are never in it: each receiver reads its credential from
 * a file of the mounted credentials Secret (`*_file` fields), which External Secrets fills from Vault.
 *
 * Only fields Alertmanager 0.25 already accepts are used, so the Debian `amtool` of CI checks the same file the
 * pinned Alertmanager loads.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
import { dump } from 'js-yaml';

/** One receiver; `credentialFile` is where its secret is mounted. */
export type AlertReceiverProps =
  | { readonly name: string; readonly type: 'pagerduty'; readonly credentialFile: string }
  | { readonly name: string; readonly type: 'slack'; readonly credentialFile: string; readonly channel: string }
  | { readonly name: string; readonly type: 'webhook'; readonly credentialFile: string; readonly url: string; readonly authorizationType: string };

/** Props of {@link alertmanagerConfiguration}. */
export interface AlertmanagerConfigurationProps {
  readonly receivers: readonly AlertReceiverProps[];
  /** Severity label value → receivers, in order. */
  readonly severityRoutes: Readonly<Record<string, readonly string[]>>;
  /** Receiver of alerts no severity route matches. */
  readonly defaultReceiver: string;
  /** The always-firing alert and the receiver it pings. */
  readonly heartbeat: { readonly alertname: string; readonly receiver: string; readonly interval: string };
  /**
   * Alerts sent only to `receivers`, instead of their severity's routes: e.g. the application alerts of a
   * disaster-recovery region while it is standby, which are expected there and must not page.
   * @default none
   */
  readonly reroute?: { readonly alertnames: readonly string[]; readonly receivers: readonly string[] };
  /** Labels alerts are grouped by. @default ['alertname', 'namespace'] */
  readonly groupBy?: readonly string[];
  /** How often a still-firing alert is re-sent. @default '4h' */
  readonly repeatInterval?: string;
}

/** The configuration as an object (what `alertmanager.yaml` holds). */
export function alertmanagerConfiguration(p: AlertmanagerConfigurationProps): Record<string, unknown> {
  const names = p.receivers.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`Alertmanager configuration: receiver "${dup}" is defined twice`);
  const known = (where: string, n: string) => {
    if (!names.includes(n)) throw new Error(`Alertmanager configuration: ${where} names receiver "${n}", which is not defined (receivers: ${names.join(', ')})`);
  };
  known('defaultReceiver', p.defaultReceiver);
  known('heartbeat.receiver', p.heartbeat.receiver);
  for (const [sev, list] of Object.entries(p.severityRoutes)) {
    if (list.length === 0) throw new Error(`Alertmanager configuration: severity "${sev}" has no receiver; alerts of it would go to the default receiver only`);
    list.forEach((n) => known(`severityRoutes.${sev}`, n));
  }
  if (p.reroute) {
    if (p.reroute.receivers.length === 0) throw new Error('Alertmanager configuration: reroute has no receiver; its alerts would go nowhere');
    p.reroute.receivers.forEach((n) => known('reroute.receivers', n));
    const bad = p.reroute.alertnames.find((n) => !/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(n));
    if (bad !== undefined) throw new Error(`Alertmanager configuration: reroute alert name "${bad}" is not a Prometheus alert name`);
  }
  for (const r of p.receivers) {
    if (!r.credentialFile.startsWith('/')) throw new Error(`Alertmanager configuration: receiver ${r.name}: credentialFile "${r.credentialFile}" must be an absolute path`);
  }

  const heartbeatRoute = {
    receiver: p.heartbeat.receiver,
    matchers: [`alertname="${p.heartbeat.alertname}"`],
    group_by: ['alertname'],
    group_wait: '0s',
    group_interval: p.heartbeat.interval,
    repeat_interval: p.heartbeat.interval,
  };
  // One route per receiver of a list; all but the last `continue`, so every listed receiver gets the alert.
  const fanOut = (list: readonly string[], matchers: string[]) =>
    list.map((receiver, i) => ({ receiver, matchers, ...(i < list.length - 1 ? { continue: true } : {}) }));
  // Before the severity routes: the first route without `continue` that matches ends the search.
  const rerouted = p.reroute && p.reroute.alertnames.length > 0 ? fanOut(p.reroute.receivers, [`alertname=~"${p.reroute.alertnames.join('|')}"`]) : [];
  const severityRoutes = Object.entries(p.severityRoutes).flatMap(([sev, list]) => fanOut(list, [`severity="${sev}"`]));
  return {
    route: {
      receiver: p.defaultReceiver,
      group_by: [...(p.groupBy ?? ['alertname', 'namespace'])],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: p.repeatInterval ?? '4h',
      routes: [heartbeatRoute, ...rerouted, ...severityRoutes],
    },
    // A critical alert silences the warning of the same name and namespace (e.g. the same target).
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace'] }],
    receivers: p.receivers.map(receiverConfig),
  };
}

function receiverConfig(r: AlertReceiverProps): Record<string, unknown> {
  switch (r.type) {
    case 'pagerduty':
      return { name: r.name, pagerduty_configs: [{ routing_key_file: r.credentialFile, send_resolved: true }] };
    case 'slack':
      return { name: r.name, slack_configs: [{ api_url_file: r.credentialFile, channel: r.channel, send_resolved: true }] };
    case 'webhook':
      return {
        name: r.name,
        webhook_configs: [{ url: r.url, send_resolved: false, http_config: { authorization: { type: r.authorizationType, credentials_file: r.credentialFile } } }],
      };
  }
}

/**
 * `alertmanager.yaml` as text. It travels as an External Secrets template, which would evaluate `{{ }}`: the
 * configuration uses Alertmanager's default notification templates and must contain none.
 */
export function alertmanagerConfigurationYaml(p: AlertmanagerConfigurationProps): string {
  const text = dump(alertmanagerConfiguration(p), { noRefs: true, lineWidth: -1, sortKeys: false });
  if (text.includes('{{')) throw new Error('Alertmanager configuration: contains "{{", which the External Secrets template engine would evaluate');
  return text;
}
