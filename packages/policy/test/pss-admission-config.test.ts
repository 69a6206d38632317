import type { Diagnostic } from '@shipshape/core';
import { createPolicyEngine, loadPack, podSecurityOptions } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { container, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

const PSC = 'pod-security.admission.config.k8s.io/v1';

const podSecurity = (fields: Obj, apiVersion = PSC): Obj => ({
  apiVersion,
  kind: 'PodSecurityConfiguration',
  ...fields,
});

const admission = (plugins: unknown[]): Obj => ({
  apiVersion: 'apiserver.config.k8s.io/v1',
  kind: 'AdmissionConfiguration',
  plugins,
});

describe('podSecurityOptions', () => {
  it('reads defaults and exemptions from a PodSecurityConfiguration', () => {
    expect(
      podSecurityOptions(
        podSecurity({
          defaults: {
            enforce: 'baseline',
            'enforce-version': 'v1.30',
            warn: 'restricted',
            'warn-version': 'latest',
            audit: 'restricted',
          },
          exemptions: { namespaces: ['kube-system'], runtimeClasses: ['gvisor'], usernames: [] },
        }),
      ),
    ).toEqual({
      options: {
        defaultEnforce: 'baseline',
        defaultEnforceVersion: 'v1.30',
        defaultWarn: 'restricted',
        defaultWarnVersion: 'latest',
        defaultAudit: 'restricted',
        exemptNamespaces: ['kube-system'],
        exemptRuntimeClasses: ['gvisor'],
      },
      problems: [],
    });
  });

  it('reads the PodSecurity plugin of an AdmissionConfiguration, and says what it leaves out', () => {
    const read = podSecurityOptions(
      admission([
        { name: 'EventRateLimit', path: 'events.yaml' },
        {
          name: 'PodSecurity',
          configuration: podSecurity(
            { defaults: { enforce: 'restricted' }, exemptions: { usernames: ['admin'] } },
            'pod-security.admission.config.k8s.io/v1beta1',
          ),
        },
      ]),
    );
    expect(read?.options).toEqual({ defaultEnforce: 'restricted' });
    expect(read?.problems).toEqual([
      {
        path: '/plugins/1/configuration/exemptions/usernames',
        severity: 'info',
        message:
          'exemptions.usernames exempt requests by who makes them; a check has no requesting user, so they are not applied',
      },
      {
        path: '/plugins',
        severity: 'info',
        message: "only the PodSecurity plugin's configuration is read; EventRateLimit is not checked",
      },
    ]);
  });

  it('reports what the API server would refuse, and leaves it out', () => {
    const read = podSecurityOptions(
      podSecurity({
        defaults: { enforce: 'strict', 'warn-version': '1.30', audit: 'baseline' },
        exemptions: { namespaces: ['ok', 3], runtimeClasses: 'gvisor' },
      }),
    );
    expect(read?.options).toEqual({ defaultAudit: 'baseline' });
    expect(read?.problems.map((p) => [p.severity, p.path])).toEqual([
      ['error', '/defaults/enforce'],
      ['error', '/defaults/warn-version'],
      ['error', '/exemptions/namespaces/1'],
      ['error', '/exemptions/runtimeClasses'],
    ]);
    expect(read?.problems[0]?.message).toBe(
      'defaults.enforce must be one of privileged, baseline, restricted, not "strict": the API server does not start',
    );
  });

  it('says where it cannot read the configuration', () => {
    expect(podSecurityOptions(admission([{ name: 'PodSecurity', path: '/etc/psa.yaml' }]))?.problems).toEqual(
      [
        {
          path: '/plugins/0/path',
          severity: 'warning',
          message:
            "the PodSecurity configuration is in another file (/etc/psa.yaml): give that file with --policy; until then the admission's defaults apply",
        },
      ],
    );
    expect(podSecurityOptions(admission([]))?.problems.map((p) => p.message)).toEqual([
      'no PodSecurity plugin is configured: the Pod Security Admission runs with its defaults (privileged, latest, no exemptions)',
    ]);
    const wrong = podSecurityOptions(
      admission([{ name: 'PodSecurity', configuration: { apiVersion: 'v1', kind: 'ConfigMap' } }]),
    );
    expect(wrong?.options).toEqual({});
    expect(wrong?.problems.map((p) => [p.severity, p.path])).toEqual([['error', '/plugins/0/configuration']]);
  });

  it('says which fields it does not read, with the one meant', () => {
    const read = podSecurityOptions(
      podSecurity({
        defualts: { enforce: 'restricted' },
        defaults: { enforce_version: 'v1.30', warn: 'baseline' },
        // As a YAML reader gives it: `__proto__` an own key, not the prototype.
        exemptions: JSON.parse('{"namespace": ["kube-system"], "__proto__": ["x"]}'),
      }),
    );
    expect(read?.options).toEqual({ defaultWarn: 'baseline' });
    expect(read?.problems.map((p) => [p.severity, p.path, p.message])).toEqual([
      [
        'warning',
        '/defualts',
        '"defualts" is not a field of PodSecurityConfiguration (did you mean defaults?): it is not applied',
      ],
      [
        'warning',
        '/defaults/enforce_version',
        '"enforce_version" is not a field of defaults (did you mean enforce-version?): it is not applied',
      ],
      [
        'warning',
        '/exemptions/namespace',
        '"namespace" is not a field of exemptions (did you mean namespaces?): it is not applied',
      ],
      ['warning', '/exemptions/__proto__', '"__proto__" is not a field of exemptions: it is not applied'],
    ]);
    const plugin = podSecurityOptions(admission([{ name: 'PodSecurity', configration: podSecurity({}) }]));
    expect(plugin?.problems.map((p) => [p.severity, p.path, p.message])).toEqual([
      [
        'warning',
        '/plugins/0/configration',
        '"configration" is not a field of a plugin entry (did you mean configuration?): it is not applied',
      ],
      [
        'info',
        '/plugins/0',
        'the PodSecurity plugin has no configuration: the Pod Security Admission runs with its defaults (privileged, latest, no exemptions)',
      ],
    ]);
  });

  it('answers undefined for anything else', () => {
    expect(podSecurityOptions({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
    expect(
      podSecurityOptions({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' }),
    ).toBeUndefined();
    expect(podSecurityOptions(null)).toBeUndefined();
    expect(podSecurityOptions(['x'])).toBeUndefined();
  });
});

describe('pss-namespaces: default versions', () => {
  function run(objects: readonly Obj[], options: Obj): Diagnostic[] {
    const engine = createPolicyEngine({
      rules: loadPack('pss-namespaces', '1.35').rules,
      kubernetesVersion: '1.35',
      settings: { 'pss/namespace-labels': { options } },
    });
    const resources = objects.map((o, i) => asResource(o, i));
    return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
  }
  // Fails restricted only through capabilities (required since v1.22) and seccomp (since v1.19).
  const tool = pod(
    'tool',
    [container('tool', { securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true } })],
    { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    { namespace: 'lab' },
  );

  it('judges unlabelled namespaces at the default version of each mode', () => {
    const codes = (options: Obj) => run([tool], options).map((d) => `${d.severity} ${d.code}`);
    expect(codes({ defaultEnforce: 'restricted' })).toEqual(['error pss/capabilities_restricted']);
    expect(codes({ defaultEnforce: 'restricted', defaultEnforceVersion: 'v1.21' })).toEqual([]);
    expect(codes({ defaultWarn: 'restricted', defaultWarnVersion: 'v1.22' })).toEqual([
      'warning pss/capabilities_restricted',
    ]);
  });

  it('refuses a version that is not one', () => {
    expect(() => run([tool], { defaultEnforce: 'restricted', defaultEnforceVersion: '1.21' })).toThrow(
      /defaultEnforceVersion/,
    );
  });
});
