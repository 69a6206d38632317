import { ownString, type Resource, type Severity } from '@shipshape/core';
import type { HeldFinding, Rule, RuleContext } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import type { CheckVariant, PssCheck } from './check.js';
import { requirePolicyMinor } from './evaluate.js';
import { PSS_LEVELS, type PssLevel } from './model.js';
import { podViewOf } from './pod-view.js';
import { activeChecks, CHECKS, NEWEST_POLICY_MINOR, variantAt } from './registry.js';
import { viewOf } from './rules.js';
import { pssUpstream } from './upstream.js';

// Pod Security Admission as the namespaces of the repository configure it: each pod (and pod
// template) is judged at the level and version its namespace's `pod-security.kubernetes.io`
// labels set for each mode (pod-security-admission/api/helpers.go, PolicyToEvaluate).

const PREFIX = 'pod-security.kubernetes.io/';
/** The Pod Security Admission's modes, as its labels and its configuration's defaults name them. */
export const PSA_MODES = ['enforce', 'warn', 'audit'] as const;
type Mode = (typeof PSA_MODES)[number];
const LEVELS: readonly string[] = PSS_LEVELS;
const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/**
 * The policy minor a mode's version (`latest` or `v1.<minor>`) runs for a target minor, capped as
 * the admission caps it; `undefined` for a version the admission refuses.
 */
export function pinnedMinor(version: unknown, targetMinor: number): number | undefined {
  if (version === 'latest') return targetMinor;
  const match = typeof version === 'string' ? VERSION.exec(version) : null;
  return match ? Math.min(Number(match[1]), targetMinor, NEWEST_POLICY_MINOR) : undefined;
}

/** Whether the admission accepts a mode's version: `latest` or `v1.<minor>`. */
export function isPolicyVersion(version: unknown): version is string {
  return pinnedMinor(version, NEWEST_POLICY_MINOR) !== undefined;
}
const VERSION_SCHEMA = { type: 'string', pattern: '^(latest|v1\\.(0|[1-9][0-9]*))$' } as const;

/** The level and policy minor one mode of a namespace runs. */
interface LevelVersion {
  readonly level: PssLevel;
  readonly minor: number;
}

type Policy = Readonly<Record<Mode, LevelVersion>>;

/** A Namespace's `pod-security.kubernetes.io/…` labels, by name without the prefix. */
type PsaLabels = Readonly<Record<string, unknown>>;

/** What is wrong with one label, for `pss/namespace-labels`. */
interface LabelProblem {
  readonly label: string;
  readonly message: string;
}

/**
 * The policy a Namespace's labels set over `defaults`, and the labels the admission controller
 * refuses (PolicyToEvaluate: an unreadable enforce level fails closed, warn and audit fail open,
 * an unreadable version is `latest`).
 */
function resolvePolicy(
  labels: PsaLabels,
  defaults: Policy,
  targetMinor: number,
): { readonly policy: Policy; readonly problems: LabelProblem[] } {
  const policy: Record<Mode, LevelVersion> = { ...defaults };
  const problems: LabelProblem[] = [];
  for (const mode of PSA_MODES) {
    const level = labels[mode];
    const version = labels[`${mode}-version`];
    let next = policy[mode];
    if (level !== undefined) {
      if (typeof level === 'string' && LEVELS.includes(level)) next = { ...next, level: level as PssLevel };
      else {
        next = { ...next, level: mode === 'enforce' ? 'restricted' : 'privileged' };
        problems.push({
          label: mode,
          message: `${PREFIX}${mode} must be one of privileged, baseline, restricted, not ${JSON.stringify(level)}: the Pod Security Admission refuses the Namespace`,
        });
      }
    }
    if (version !== undefined) {
      const minor = pinnedMinor(version, targetMinor);
      if (minor !== undefined) next = { ...next, minor };
      else {
        next = { ...next, minor: targetMinor };
        problems.push({
          label: `${mode}-version`,
          message: `${PREFIX}${mode}-version must be "latest" or "v1.<minor>", not ${JSON.stringify(version)}: the Pod Security Admission refuses the Namespace`,
        });
      }
    }
    policy[mode] = next;
  }
  return { policy, problems };
}

/** The Pod Security labels of a Namespace (own copies of short values: kept for the run). */
function psaLabels(resource: Resource): PsaLabels {
  const metadata = resource.object['metadata'];
  const labels = isObject(metadata) && isObject(metadata['labels']) ? metadata['labels'] : {};
  const out: Record<string, unknown> = {};
  for (const mode of PSA_MODES) {
    for (const name of [mode, `${mode}-version`]) {
      const value = labels[`${PREFIX}${name}`];
      if (value !== undefined) out[name] = typeof value === 'string' ? ownString(value) : value;
    }
  }
  return out;
}

/** What the rules of one pack share for a run: the namespaces' labels, the defaults, the pods. */
interface Shared {
  readonly targetMinor: number;
  /** The Pod Security labels of each Namespace (recorded by the first check's rule). */
  readonly namespaces: Map<string, PsaLabels>;
  defaults: Policy;
  exempt: ReadonlySet<string>;
  /** Every pod and pod template, in the order checked (recorded by the first check's rule). */
  pods: PodEntry[];
  /** Runtime classes the AdmissionConfiguration exempts. */
  exemptRuntimeClasses: ReadonlySet<string>;
}

/** A pod or pod template, with the runtime class an exemption may name. */
interface PodEntry {
  readonly resource: Resource;
  readonly runtimeClass: string | undefined;
}

const SEVERITY: Readonly<Record<Mode, Severity>> = { enforce: 'error', warn: 'warning', audit: 'info' };

/**
 * The rules of the `pss-namespaces` pack for a target Kubernetes version: `pss/namespace-labels`,
 * which reads (and checks) the labels of the Namespaces in the repository, then one rule per Pod
 * Security Standards check (`pss/<check>`) that judges every pod and pod template at the level its
 * namespace enforces (an error), warns about (a warning) or audits (info), at the version each
 * mode pins (`latest`, or no label, is the target version).
 */
export function pssNamespaceRules(kubernetesVersion: string): Rule[] {
  const targetMinor = requirePolicyMinor(kubernetesVersion);
  const privileged: LevelVersion = { level: 'privileged', minor: targetMinor };
  const shared: Shared = {
    targetMinor,
    namespaces: new Map(),
    defaults: { enforce: privileged, warn: privileged, audit: privileged },
    exempt: new Set(),
    pods: [],
    exemptRuntimeClasses: new Set(),
  };
  // Every check that has started by the target version (at baseline or restricted).
  const checks = CHECKS.filter((check) => variantAt(check, targetMinor) !== undefined);
  return [
    namespaceLabelsRule(shared),
    ...checks.map((check, i) => checkRule(check, shared, i === 0, i === checks.length - 1)),
  ];
}

function namespaceLabelsRule(shared: Shared): Rule {
  let optionsRead = false;
  const readOptions = (context: Pick<RuleContext, 'options'>) => {
    if (optionsRead) return;
    optionsRead = true;
    const level = (name: string): LevelVersion => {
      // The option schemas have checked both values: `latest` or `v1.<minor>`, capped as a label's.
      return {
        level: LEVELS.includes(String(context.options[name]))
          ? (context.options[name] as PssLevel)
          : 'privileged',
        minor: pinnedMinor(context.options[`${name}Version`], shared.targetMinor) ?? shared.targetMinor,
      };
    };
    shared.defaults = {
      enforce: level('defaultEnforce'),
      warn: level('defaultWarn'),
      audit: level('defaultAudit'),
    };
    const exempt = context.options['exemptNamespaces'];
    shared.exempt = new Set(Array.isArray(exempt) ? exempt.map(String) : []);
    const runtimeClasses = context.options['exemptRuntimeClasses'];
    shared.exemptRuntimeClasses = new Set(Array.isArray(runtimeClasses) ? runtimeClasses.map(String) : []);
  };
  return {
    id: 'pss/namespace-labels',
    category: 'security',
    severity: 'error',
    kinds: ['Namespace'],
    options: {
      defaultEnforce: {
        description:
          'The level enforced in namespaces without an enforce label, or not in the repository (the cluster default of the AdmissionConfiguration).',
        schema: { enum: ['privileged', 'baseline', 'restricted'] },
        default: 'privileged',
      },
      defaultWarn: {
        description: 'The level warned about in namespaces without a warn label.',
        schema: { enum: ['privileged', 'baseline', 'restricted'] },
        default: 'privileged',
      },
      defaultAudit: {
        description: 'The level audited in namespaces without an audit label.',
        schema: { enum: ['privileged', 'baseline', 'restricted'] },
        default: 'privileged',
      },
      defaultEnforceVersion: {
        description:
          "The policy version of `defaultEnforce`: `latest` (the target version) or `v1.<minor>`, as the AdmissionConfiguration's `enforce-version`.",
        schema: VERSION_SCHEMA,
        default: 'latest',
      },
      defaultWarnVersion: {
        description: 'The policy version of `defaultWarn`: `latest` or `v1.<minor>`.',
        schema: VERSION_SCHEMA,
        default: 'latest',
      },
      defaultAuditVersion: {
        description: 'The policy version of `defaultAudit`: `latest` or `v1.<minor>`.',
        schema: VERSION_SCHEMA,
        default: 'latest',
      },
      exemptNamespaces: {
        description: 'Namespaces the AdmissionConfiguration exempts: their pods are not judged.',
        schema: { type: 'array', items: { type: 'string' } },
        default: [],
      },
      exemptRuntimeClasses: {
        description: 'Runtime classes the AdmissionConfiguration exempts: pods that name one are not judged.',
        schema: { type: 'array', items: { type: 'string' } },
        default: [],
      },
    },
    docs: {
      summary:
        'The pod-security.kubernetes.io labels of a Namespace are ones the Pod Security Admission reads.',
      details: `The \`pss-namespaces\` pack judges each pod and pod template as the Pod Security Admission will once it
is applied: at the level and version its namespace's labels set for each mode. A violation of the
enforced level is an error (the API server rejects the Pod, or the pods a workload creates), of the
warned level a warning, of the audited level info; each names the namespace and the mode. The
findings carry the codes of the checks (\`pss/privileged\`, …), so exceptions written for the
\`pss-baseline\` and \`pss-restricted\` packs apply. Use this pack instead of those two, not beside
them: a check enabled by two packs runs as the first one named.

Labels: \`pod-security.kubernetes.io/<mode>\` is \`privileged\`, \`baseline\` or \`restricted\`, and
\`pod-security.kubernetes.io/<mode>-version\` is \`latest\` or \`v1.<minor>\` (\`latest\` and versions
newer than \`--kubernetes-version\` run the target version; a level without its version label runs the
default version of its mode). This rule reports a
label the admission controller refuses, as it refuses the Namespace; as it does, an unreadable enforce
level then counts as \`restricted\`, an unreadable warn or audit level as \`privileged\`, an unreadable
version as \`latest\`.

Namespaces not in the repository, and modes without a label, take the rule's \`defaultEnforce\`,
\`defaultWarn\` and \`defaultAudit\` options (\`privileged\`: nothing is checked, the Pod Security
Admission's own default) at the versions \`defaultEnforceVersion\`, \`defaultWarnVersion\` and
\`defaultAuditVersion\` (\`latest\`); \`exemptNamespaces\` and \`exemptRuntimeClasses\` list what the
cluster's AdmissionConfiguration exempts (user exemptions cannot be known offline). Resources without a
namespace take the defaults. The CLI sets these options from the cluster's own AdmissionConfiguration
or PodSecurityConfiguration file given with \`--policy FILE\` (\`podSecurityOptions\` reads one).`,
      upstream: ['Pod Security Admission: namespace labels'],
      examples: [
        {
          title: 'labels the admission controller reads',
          yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.33
    pod-security.kubernetes.io/warn: restricted
`,
          reports: [],
        },
        {
          title: 'a level that is not one',
          yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: strict
`,
          reports: ['/metadata/labels/pod-security.kubernetes.io~1enforce'],
        },
      ],
    },
    check(resource, context) {
      readOptions(context);
      const { problems } = resolvePolicy(psaLabels(resource), shared.defaults, shared.targetMinor);
      for (const p of problems) {
        context.report({
          path: `/metadata/labels/${PREFIX.replace('/', '~1')}${p.label}`,
          message: p.message,
        });
      }
    },
    finish(context) {
      // With no Namespace in the repository, the options still set the defaults; a next run
      // reads them again.
      readOptions(context);
      optionsRead = false;
    },
  };
}

/** A pod's findings of one check, held until the namespaces are known. */
interface Pending {
  readonly handles: readonly HeldFinding[];
  readonly messages: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * One check, judged at the target version when a pod is read (its findings held), then per
 * namespace in `finish`: the strictest mode whose level runs the check and finds a violation
 * reports it. A mode pinning another version whose variant of the check differs judges the pod
 * again (its object read back), whether or not the target version found anything.
 */
function checkRule(check: PssCheck, shared: Shared, recordsPods: boolean, last: boolean): Rule {
  let pending = new Map<Resource, Pending>();
  const target = variantAt(check, shared.targetMinor);
  return {
    id: `pss/${check.id}`,
    category: 'security',
    severity: 'error',
    // The first check's rule also records the Namespaces: the checks must know them even with
    // pss/namespace-labels turned off.
    kinds: recordsPods ? [...POD_KINDS, 'Namespace'] : POD_KINDS,
    docs: {
      summary: check.docs.summary,
      details: check.docs.details,
      upstream: pssUpstream(check.id),
      examples: target?.examples ?? check.docs.examples,
    },
    check(resource, context) {
      if (resource.id.kind === 'Namespace' && resource.id.group === '') {
        if (recordsPods) shared.namespaces.set(resource.id.name, psaLabels(resource));
        return;
      }
      const pod = viewOf(resource);
      if (!pod) return;
      if (recordsPods) {
        const runtimeClass = podSpecOf(resource)?.spec['runtimeClassName'];
        shared.pods.push({
          resource,
          runtimeClass: typeof runtimeClass === 'string' ? ownString(runtimeClass) : undefined,
        });
      }
      const violation = target?.evaluate(pod);
      if (!violation) return;
      const data = { reason: violation.reason, detail: violation.detail };
      pending.set(resource, {
        handles: violation.findings.map((f) =>
          context.hold({ path: f.path, message: f.message, atKey: f.atKey === true, data }),
        ),
        messages: violation.findings.map((f) => f.message),
        data,
      });
    },
    finish(context) {
      const defaults = shared.defaults;
      const policies = new Map<string, Policy>();
      const policyOf = (namespace: string): Policy => {
        const labels = namespace === '' ? undefined : shared.namespaces.get(namespace);
        if (labels === undefined) return defaults;
        let policy = policies.get(namespace);
        if (policy === undefined) {
          policy = resolvePolicy(labels, defaults, shared.targetMinor).policy;
          policies.set(namespace, policy);
        }
        return policy;
      };
      for (const { resource, runtimeClass } of shared.pods) {
        const namespace = resource.id.namespace;
        if (shared.exempt.has(namespace)) continue;
        if (runtimeClass !== undefined && shared.exemptRuntimeClasses.has(runtimeClass)) continue;
        const policy = policyOf(namespace);
        const held = pending.get(resource);
        for (const mode of PSA_MODES) {
          const { level, minor } = policy[mode];
          const variant = activeAt(level, minor).get(check.id);
          if (variant === undefined) continue;
          const why = consequence(mode, level, minor, namespace, resource.id.kind);
          if (variant === target) {
            if (!held) continue;
            for (let i = 0; i < held.handles.length; i++) {
              context.report(held.handles[i] as HeldFinding, {
                message: `${held.messages[i]}: ${why}`,
                data: held.data,
                severity: SEVERITY[mode],
              });
            }
            break;
          }
          // The mode pins another version, whose variant of the check differs: judged again.
          const ref = podSpecOf(resource);
          const violation = ref ? variant.evaluate(podViewOf(ref)) : undefined;
          if (!violation) continue;
          for (const f of violation.findings) {
            context.report({
              resource,
              path: f.path,
              message: `${f.message}: ${why}`,
              atKey: f.atKey === true,
              severity: SEVERITY[mode],
              data: { reason: violation.reason, detail: violation.detail },
            });
          }
          break;
        }
      }
      pending = new Map();
      // The last check's rule ends the run: a next one starts from nothing.
      if (last) {
        shared.pods = [];
        shared.namespaces.clear();
      }
    },
  };
}

function consequence(mode: Mode, level: PssLevel, minor: number, namespace: string, kind: string): string {
  const where = namespace === '' ? 'without a namespace, the default policy' : `namespace ${namespace}`;
  const at = `${level} (v1.${minor})`;
  switch (mode) {
    case 'enforce':
      return kind === 'Pod'
        ? `${where} enforces ${at}: the API server rejects this Pod`
        : `${where} enforces ${at}: the API server rejects the pods this ${kind} creates`;
    case 'warn':
      return `${where} warns at ${at}: the API server returns a warning`;
    case 'audit':
      return `${where} audits at ${at}: the audit log records it`;
  }
}

// The checks that run at a level and version, by id, worked out once.
const active = new Map<string, ReadonlyMap<string, CheckVariant>>();

function activeAt(level: PssLevel, minor: number): ReadonlyMap<string, CheckVariant> {
  const key = `${level}:${minor}`;
  let found = active.get(key);
  if (found === undefined) {
    found = new Map(activeChecks(level, minor).map((a) => [a.check.id, a.variant]));
    active.set(key, found);
  }
  return found;
}
