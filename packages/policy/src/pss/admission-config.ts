import { closest } from '@shipshape/core';
import { isObject, pointerToken } from '../workloads.js';
import { PSS_LEVELS } from './model.js';
import { isPolicyVersion, PSA_MODES } from './namespaces.js';

// The Pod Security Admission's own configuration (k8s.io/pod-security-admission/admission/api):
// a PodSecurityConfiguration, alone or as the PodSecurity plugin's entry of the API server's
// AdmissionConfiguration. Its defaults and exemptions are what `pss/namespace-labels` options
// stand for.

const PSA_GROUP = 'pod-security.admission.config.k8s.io';
const PSA_VERSIONS = ['v1', 'v1beta1', 'v1alpha1'];
const ADMISSION_API_VERSIONS = [
  'apiserver.config.k8s.io/v1',
  'apiserver.config.k8s.io/v1alpha1',
  'apiserver.k8s.io/v1alpha1',
];

/** Something in the configuration that was refused or not applied. */
export interface PodSecurityConfigProblem {
  /** JSON Pointer into the object read. */
  readonly path: string;
  /**
   * `error`: the API server refuses to start with it; `warning`: the configuration could not be
   * read from this object; `info`: a part that does not apply offline.
   */
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

/** What {@link podSecurityOptions} read. */
export interface PodSecurityConfig {
  /** Options of `pss/namespace-labels`: `defaultEnforce`, `defaultEnforceVersion`, …, `exemptNamespaces`, `exemptRuntimeClasses`. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly problems: readonly PodSecurityConfigProblem[];
}

/**
 * The `pss/namespace-labels` options a cluster's Pod Security Admission configuration sets: from a
 * `PodSecurityConfiguration`, or from the `PodSecurity` plugin of an `AdmissionConfiguration`
 * (the API server's `--admission-control-config-file`). `undefined` when the object is neither.
 * Values the admission would refuse are problems and left out, so the options keep their defaults
 * there; user exemptions are a problem of severity `info` (a check has no requesting user).
 *
 * @example
 * ```ts
 * const read = podSecurityOptions({
 *   apiVersion: 'pod-security.admission.config.k8s.io/v1',
 *   kind: 'PodSecurityConfiguration',
 *   defaults: { enforce: 'baseline', 'enforce-version': 'v1.33' },
 *   exemptions: { namespaces: ['kube-system'] },
 * });
 * read?.options; // { defaultEnforce: 'baseline', defaultEnforceVersion: 'v1.33', exemptNamespaces: ['kube-system'] }
 * const engine = createPolicyEngine({
 *   rules: packRules('pss-namespaces', '1.35'),
 *   kubernetesVersion: '1.35',
 *   settings: { 'pss/namespace-labels': { options: read?.options ?? {} } },
 * });
 * ```
 */
export function podSecurityOptions(object: unknown): PodSecurityConfig | undefined {
  if (!isObject(object)) return undefined;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string') return undefined;
  if (kind === 'PodSecurityConfiguration' && apiVersion.startsWith(`${PSA_GROUP}/`)) {
    const problems: PodSecurityConfigProblem[] = [];
    const options = readConfiguration(object, '', problems);
    return { options, problems };
  }
  if (kind !== 'AdmissionConfiguration' || !ADMISSION_API_VERSIONS.includes(apiVersion)) return undefined;
  const problems: PodSecurityConfigProblem[] = [];
  unknownFields(object, ['apiVersion', 'kind', 'plugins'], '', 'AdmissionConfiguration', problems);
  const plugins = object['plugins'];
  const list = Array.isArray(plugins) ? plugins : [];
  const others: string[] = [];
  let options: Record<string, unknown> = {};
  let found = false;
  for (let i = 0; i < list.length; i++) {
    const plugin: unknown = list[i];
    const name = isObject(plugin) ? plugin['name'] : undefined;
    if (name !== 'PodSecurity') {
      if (typeof name === 'string') others.push(name);
      continue;
    }
    const entry = plugin as Record<string, unknown>;
    found = true;
    unknownFields(entry, ['name', 'path', 'configuration'], `/plugins/${i}`, 'a plugin entry', problems);
    const configuration = entry['configuration'];
    if (isObject(configuration)) {
      options = readConfiguration(configuration, `/plugins/${i}/configuration`, problems);
    } else if (typeof entry['path'] === 'string') {
      problems.push({
        path: `/plugins/${i}/path`,
        severity: 'warning',
        message: `the PodSecurity configuration is in another file (${entry['path']}): give that file with --policy; until then the admission's defaults apply`,
      });
    } else {
      problems.push({
        path: `/plugins/${i}`,
        severity: 'info',
        message:
          'the PodSecurity plugin has no configuration: the Pod Security Admission runs with its defaults (privileged, latest, no exemptions)',
      });
    }
  }
  if (!found) {
    problems.push({
      path: Array.isArray(plugins) ? '/plugins' : '',
      severity: 'info',
      message:
        'no PodSecurity plugin is configured: the Pod Security Admission runs with its defaults (privileged, latest, no exemptions)',
    });
  }
  if (others.length > 0) {
    problems.push({
      path: '/plugins',
      severity: 'info',
      message: `only the PodSecurity plugin's configuration is read; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} not checked`,
    });
  }
  return { options, problems };
}

const CONFIGURATION_FIELDS = ['apiVersion', 'kind', 'defaults', 'exemptions'];
const DEFAULTS_FIELDS = PSA_MODES.flatMap((mode) => [mode, `${mode}-version`]);
const EXEMPTIONS_FIELDS = ['usernames', 'namespaces', 'runtimeClasses'];

/** ` (did you mean …?)` for a misspelt field (`enforce_version`, `defualts`), or nothing. */
function guess(key: string, known: readonly string[]): string {
  const near = closest(key.replaceAll('_', '-'), known);
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}

/** Fields the admission does not read (a typo, or a key such as `__proto__`): said, not dropped. */
function unknownFields(
  object: Readonly<Record<string, unknown>>,
  known: readonly string[],
  base: string,
  where: string,
  problems: PodSecurityConfigProblem[],
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    problems.push({
      path: `${base}/${pointerToken(key)}`,
      severity: 'warning',
      message: `${JSON.stringify(key)} is not a field of ${where}${guess(key, known)}: it is not applied`,
    });
  }
}

/** The options a PodSecurityConfiguration object (at `base`) sets. */
function readConfiguration(
  configuration: Readonly<Record<string, unknown>>,
  base: string,
  problems: PodSecurityConfigProblem[],
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const { apiVersion, kind } = configuration;
  const version = typeof apiVersion === 'string' ? apiVersion.slice(PSA_GROUP.length + 1) : '';
  if (
    kind !== 'PodSecurityConfiguration' ||
    typeof apiVersion !== 'string' ||
    !apiVersion.startsWith(`${PSA_GROUP}/`) ||
    !PSA_VERSIONS.includes(version)
  ) {
    problems.push({
      path: base === '' ? '/apiVersion' : base,
      severity: 'error',
      message: `the PodSecurity configuration must be a PodSecurityConfiguration of ${PSA_GROUP}/${PSA_VERSIONS.join(', ')}: the API server does not start with ${JSON.stringify(apiVersion)} ${JSON.stringify(kind)}`,
    });
    return options;
  }
  unknownFields(configuration, CONFIGURATION_FIELDS, base, 'PodSecurityConfiguration', problems);
  const defaults = configuration['defaults'];
  if (isObject(defaults)) unknownFields(defaults, DEFAULTS_FIELDS, `${base}/defaults`, 'defaults', problems);
  const exemptions = configuration['exemptions'];
  if (isObject(exemptions))
    unknownFields(exemptions, EXEMPTIONS_FIELDS, `${base}/exemptions`, 'exemptions', problems);
  if (isObject(defaults)) {
    for (const mode of PSA_MODES) {
      const name = `default${mode[0]?.toUpperCase()}${mode.slice(1)}`;
      const level = defaults[mode];
      if (level !== undefined && level !== '') {
        if (typeof level === 'string' && (PSS_LEVELS as readonly string[]).includes(level))
          options[name] = level;
        else
          problems.push({
            path: `${base}/defaults/${mode}`,
            severity: 'error',
            message: `defaults.${mode} must be one of ${PSS_LEVELS.join(', ')}, not ${JSON.stringify(level)}: the API server does not start`,
          });
      }
      const pinned = defaults[`${mode}-version`];
      if (pinned !== undefined && pinned !== '') {
        if (isPolicyVersion(pinned)) options[`${name}Version`] = pinned;
        else
          problems.push({
            path: `${base}/defaults/${mode}-version`,
            severity: 'error',
            message: `defaults.${mode}-version must be "latest" or "v1.<minor>", not ${JSON.stringify(pinned)}: the API server does not start`,
          });
      }
    }
  }
  if (isObject(exemptions)) {
    for (const [field, option] of [
      ['namespaces', 'exemptNamespaces'],
      ['runtimeClasses', 'exemptRuntimeClasses'],
    ] as const) {
      const value = exemptions[field];
      if (value === undefined || value === null) continue;
      const names = Array.isArray(value) ? value : [];
      const bad = names.findIndex((n) => typeof n !== 'string' || n === '');
      if (!Array.isArray(value) || bad >= 0) {
        problems.push({
          path: `${base}/exemptions/${field}${bad >= 0 ? `/${bad}` : ''}`,
          severity: 'error',
          message: `exemptions.${field} must be a list of names: the API server does not start`,
        });
        continue;
      }
      options[option] = names.map(String);
    }
    const users = exemptions['usernames'];
    if (Array.isArray(users) && users.length > 0) {
      problems.push({
        path: `${base}/exemptions/usernames`,
        severity: 'info',
        message:
          'exemptions.usernames exempt requests by who makes them; a check has no requesting user, so they are not applied',
      });
    }
  }
  return options;
}
