/** Values that exercise js-yaml's quoting, typing and block scalar rules (shared by the YAML writer and reader tests). */
export const TRICKY_STRINGS = [
  '', ' ', ' lead', 'trail ', 'yes', 'no', 'y', 'n', 'on', 'off', 'true', 'False', 'null', '~', '12:30', '1e3', '0x1F', '0o17', '1_000',
  '.5', '-1', '+1', '.inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', 'a: b', 'a:b', '#x', 'x #y', '- x', '-x', '? x', '*ref', '&a', '!tag',
  '%x', '@x', '`x', '|', '>', "it's", '"q"', '{a}', '[a]', 'a,b', 'tab\tin', '\u00e9t\u00e9', '\u{1F600}', 'x'.repeat(300), 'multi\nline', 'trailing\n',
  'app.kubernetes.io/name', 'docker.io/finbot/api:v4.0.0', '250m', '256Mi', '0', '007', 'http://finbot-api.production.svc.cluster.local:3001', '\u0000', '\u2028',
  // Multi-line: block scalars (|-, |, |2 with a leading space, |+ followed by `...`), empty and blank lines.
  ' lead\nx\n', 'x\n\n', 'a\n\nb', 'a\n  \nb', '\n', '\nfirst empty', 'x\r\ny', 'tab\n\tx', 'space \nx', 'a\n    deeper\nb\n', '- a\n- b', 'k: v\nl: w',
];
export const TRICKY_VALUES: unknown[] = [0, -0, 1.5, -2, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, [], {}, [[]], [{}], [[1, [2, []]]], [{ a: [{ b: {} }] }]];
