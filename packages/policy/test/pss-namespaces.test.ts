import type { Diagnostic } from '@shipshape/core';
import { createPolicyEngine, loadPack, type RuleSetting } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { container, deployment, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

// Pod Security Admission as namespace labels configure it (pod-security-admission api/helpers.go,
// PolicyToEvaluate): each mode's level and version, enforce failing closed on a bad level.
function run(
  objects: readonly Obj[],
  options: { version?: string; settings?: Record<string, RuleSetting> } = {},
): Diagnostic[] {
  const version = options.version ?? '1.35';
  const engine = createPolicyEngine({
    rules: loadPack('pss-namespaces', version).rules,
    kubernetesVersion: version,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const resources = objects.map((o, i) => asResource(o, i));
  return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

const brief = (d: Diagnostic) => `${d.severity} ${d.code} ${d.resource?.kind}/${d.resource?.name}`;

function namespace(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const psa = (mode: string, level: string, version?: string) => ({
  [`pod-security.kubernetes.io/${mode}`]: level,
  ...(version ? { [`pod-security.kubernetes.io/${mode}-version`]: version } : {}),
});

/** A container that passes the restricted level. */
const hardened = (name: string, fields: Obj = {}) =>
  container(name, {
    securityContext: {
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      ...fields,
    },
  });

const privilegedWeb = (ns: string) =>
  deployment('web', [hardened('web', { privileged: true, allowPrivilegeEscalation: true })], {
    namespace: ns,
  });
/** A Pod that fails only restricted checks (it runs with the default capabilities, no seccomp). */
const plainPod = (ns: string) => pod('tool', [container('tool')], {}, { namespace: ns });

describe('pss-namespaces', () => {
  it('judges each pod at the level its namespace enforces, warns about and audits', () => {
    const got = run([
      privilegedWeb('shop'),
      plainPod('lab'),
      plainPod('open'),
      namespace('shop', { ...psa('enforce', 'baseline'), ...psa('warn', 'restricted') }),
      namespace('lab', psa('audit', 'restricted')),
      namespace('open'),
    ]);
    expect(got.map(brief)).toEqual([
      // Enforced baseline: privileged is an error; the restricted checks it fails are warnings.
      'error pss/privileged Deployment/web',
      'warning pss/allowPrivilegeEscalation Deployment/web',
      'info pss/allowPrivilegeEscalation Pod/tool',
      'info pss/runAsNonRoot Pod/tool',
      'info pss/seccompProfile_restricted Pod/tool',
      'info pss/capabilities_restricted Pod/tool',
    ]);
    expect(got[0]?.message).toBe(
      'privileged (container "web" must not set securityContext.privileged=true): namespace shop enforces baseline (v1.35): the API server rejects the pods this Deployment creates',
    );
    expect(got[1]?.message).toMatch(
      /: namespace shop warns at restricted \(v1\.35\): the API server returns a warning$/,
    );
    expect(got[2]?.message).toMatch(
      /: namespace lab audits at restricted \(v1\.35\): the audit log records it$/,
    );
  });

  it('reports one finding per field at the strictest mode that fails, whatever the order of the files', () => {
    const both = { ...psa('enforce', 'restricted'), ...psa('warn', 'restricted') };
    const before = run([namespace('lab', both), plainPod('lab')]).map(brief);
    const after = run([plainPod('lab'), namespace('lab', both)]).map(brief);
    expect(before).toEqual(after);
    expect(before).toEqual([
      'error pss/allowPrivilegeEscalation Pod/tool',
      'error pss/runAsNonRoot Pod/tool',
      'error pss/seccompProfile_restricted Pod/tool',
      'error pss/capabilities_restricted Pod/tool',
    ]);
    expect(run([plainPod('lab'), namespace('lab', both)])[0]?.message).toMatch(
      /: namespace lab enforces restricted \(v1\.35\): the API server rejects this Pod$/,
    );
  });

  it('judges a pinned version with its own variant of a check, where the target version finds nothing', () => {
    // A user namespace lets a pod run as root from policy v1.35 on; v1.34 still forbids it.
    const userNamespaced = pod('rooted', [hardened('app', { runAsNonRoot: undefined, runAsUser: 0 })], {
      hostUsers: false,
    });
    const inNs = (ns: string) => ({ ...userNamespaced, metadata: { name: 'rooted', namespace: ns } });
    expect(run([inNs('new'), namespace('new', psa('enforce', 'restricted'))]).map(brief)).toEqual([]);
    const pinned = run([inNs('old'), namespace('old', psa('enforce', 'restricted', 'v1.34'))]);
    expect(pinned.map(brief)).toEqual([
      'error pss/runAsNonRoot Pod/rooted',
      'error pss/runAsUser Pod/rooted',
    ]);
    expect(pinned[0]?.message).toMatch(
      /: namespace old enforces restricted \(v1\.34\): the API server rejects this Pod$/,
    );
    // A version newer than the target runs the target's checks.
    expect(
      run([inNs('new'), namespace('new', psa('enforce', 'restricted', 'v1.40'))], { version: '1.35' }).map(
        brief,
      ),
    ).toEqual([]);
  });

  it('reports labels the admission controller refuses, failing enforce closed and warn open', () => {
    const got = run([
      namespace('lab', {
        ...psa('enforce', 'strict'),
        ...psa('warn', 'Restricted'),
        'pod-security.kubernetes.io/audit-version': '1.33',
      }),
      plainPod('lab'),
      privilegedWeb('lab'),
    ]);
    expect(got.filter((d) => d.code === 'pss/namespace-labels').map((d) => [d.path, d.message])).toEqual([
      [
        '/metadata/labels/pod-security.kubernetes.io~1enforce',
        'pod-security.kubernetes.io/enforce must be one of privileged, baseline, restricted, not "strict": the Pod Security Admission refuses the Namespace',
      ],
      [
        '/metadata/labels/pod-security.kubernetes.io~1warn',
        'pod-security.kubernetes.io/warn must be one of privileged, baseline, restricted, not "Restricted": the Pod Security Admission refuses the Namespace',
      ],
      [
        '/metadata/labels/pod-security.kubernetes.io~1audit-version',
        'pod-security.kubernetes.io/audit-version must be "latest" or "v1.<minor>", not "1.33": the Pod Security Admission refuses the Namespace',
      ],
    ]);
    // Enforce failed closed: restricted.
    expect(got.filter((d) => d.resource?.name === 'tool').map((d) => d.severity)).toEqual([
      'error',
      'error',
      'error',
      'error',
    ]);
  });

  it('takes the defaults for namespaces without labels or not in the repository, and skips exempt ones', () => {
    const options = {
      defaultEnforce: 'baseline',
      defaultWarn: 'restricted',
      exemptNamespaces: ['kube-system'],
    };
    const settings = { 'pss/namespace-labels': { options } };
    const got = run([privilegedWeb('nowhere'), privilegedWeb('kube-system'), plainPod('labelled')], {
      settings,
    });
    expect(got.map(brief)).toEqual([
      'error pss/privileged Deployment/web',
      'warning pss/allowPrivilegeEscalation Deployment/web',
      'warning pss/allowPrivilegeEscalation Pod/tool',
      'warning pss/runAsNonRoot Pod/tool',
      'warning pss/seccompProfile_restricted Pod/tool',
      'warning pss/capabilities_restricted Pod/tool',
    ]);
    expect(got.every((d) => d.resource?.namespace !== 'kube-system')).toBe(true);
    // Without options, a namespace without labels checks nothing (the admission's own default).
    expect(run([privilegedWeb('nowhere')])).toEqual([]);
  });

  it('lets the configuration set a severity, over the mode', () => {
    const got = run([plainPod('lab'), namespace('lab', psa('audit', 'restricted'))], {
      settings: { 'pss/runAsNonRoot': { severity: 'error' } },
    });
    expect(got.map(brief)).toEqual([
      'info pss/allowPrivilegeEscalation Pod/tool',
      'error pss/runAsNonRoot Pod/tool',
      'info pss/seccompProfile_restricted Pod/tool',
      'info pss/capabilities_restricted Pod/tool',
    ]);
  });

  it('skips pods of a runtime class the cluster exempts', () => {
    const sandboxed = pod(
      'sandboxed',
      [container('tool')],
      { runtimeClassName: 'gvisor' },
      { namespace: 'lab' },
    );
    const objects = [sandboxed, plainPod('lab'), namespace('lab', psa('enforce', 'restricted'))];
    const settings = { 'pss/namespace-labels': { options: { exemptRuntimeClasses: ['gvisor'] } } };
    expect(new Set(run(objects, { settings }).map((d) => d.resource?.name))).toEqual(new Set(['tool']));
    expect(new Set(run(objects).map((d) => d.resource?.name))).toEqual(new Set(['sandboxed', 'tool']));
  });

  it('still reads the namespaces with pss/namespace-labels turned off', () => {
    const got = run([plainPod('lab'), namespace('lab', psa('enforce', 'restricted'))], {
      settings: { 'pss/namespace-labels': { severity: 'off' } },
    });
    expect(got.map((d) => d.severity)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('starts every run afresh', () => {
    const engineRules = loadPack('pss-namespaces', '1.35').rules;
    const engine = createPolicyEngine({ rules: engineRules, kubernetesVersion: '1.35' });
    const first = [namespace('lab', psa('enforce', 'restricted')), plainPod('lab')].map((o, i) =>
      asResource(o, i),
    );
    expect([...first.flatMap((r) => engine.check(r)), ...engine.finish()]).toHaveLength(4);
    // The namespace's labels do not carry over to a run that does not have it.
    const second = [asResource(plainPod('lab'), 0)];
    expect([...second.flatMap((r) => engine.check(r)), ...engine.finish()]).toEqual([]);
  });
});
