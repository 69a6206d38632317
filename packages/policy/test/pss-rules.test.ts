import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine, loadPack } from '@shipshape/policy';
import { asResource, RuleTester } from '@shipshape/policy/testing';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { evaluatePodSecurity, evaluateWorkloadSecurity, PSS_CHECK_IDS, pssRules } from '../src/pss/index.js';
import { pod } from './pss-helpers.js';

const VERSIONS = Array.from({ length: 38 }, (_, minor) => `1.${minor}`);

describe('rule metadata and documentation', () => {
  it('has one security error rule per check, documented with passing and failing examples', () => {
    const seen = new Set<string>();
    for (const level of ['baseline', 'restricted'] as const) {
      for (const rule of pssRules(level, 'latest')) {
        seen.add(rule.id);
        expect(rule.category).toBe('security');
        expect(rule.severity).toBe('error');
        const check = rule.id.slice('pss/'.length);
        // The standard first, then other tools' implementations of the check (Kyverno's pod-security
        // policies), so users coming from them find the rule.
        expect(rule.docs.upstream?.[0]).toBe(`Pod Security Standards: ${check}`);
        for (const other of rule.docs.upstream?.slice(1) ?? [])
          expect(other).toMatch(/^(kyverno|kube-linter)\/[a-z-]+$/);
        expect(rule.docs.summary.length).toBeGreaterThan(20);
        expect(rule.docs.details.length).toBeGreaterThan(200);
        expect(rule.docs.examples.some((e) => e.reports.length === 0)).toBe(true);
        expect(rule.docs.examples.some((e) => e.reports.length > 0)).toBe(true);
      }
    }
    expect([...seen].sort()).toEqual(PSS_CHECK_IDS.map((id) => `pss/${id}`).sort());
    const restricted = pssRules('restricted', 'latest');
    expect(restricted.find((r) => r.id === 'pss/sysctls')?.docs.upstream).toEqual([
      'Pod Security Standards: sysctls',
      'kyverno/restrict-sysctls',
      'kube-linter/unsafe-sysctls',
    ]);
    expect(restricted.find((r) => r.id === 'pss/hostProbesAndHostLifecycle')?.docs.upstream).toEqual([
      'Pod Security Standards: hostProbesAndHostLifecycle',
    ]);
  });

  it('has examples that hold at every version the rule runs', () => {
    let ran = 0;
    for (const level of ['baseline', 'restricted'] as const) {
      for (const version of VERSIONS) {
        for (const rule of pssRules(level, version)) {
          const cases = rule.docs.examples.map((e) => ({
            name: `${level} ${version} ${e.title}`,
            resources: loadAll(e.yaml) as Record<string, unknown>[],
            kubernetesVersion: version,
            reports: e.reports,
          }));
          new RuleTester(rule).assert({
            valid: cases.filter((c) => c.reports.length === 0),
            invalid: cases.filter((c) => c.reports.length > 0),
          });
          ran += cases.length;
        }
      }
    }
    expect(ran).toBeGreaterThan(1000);
  });

  it('has examples whose findings are placed in their YAML source', () => {
    for (const level of ['baseline', 'restricted'] as const) {
      for (const rule of pssRules(level, '1.35')) {
        for (const example of rule.docs.examples) {
          const set = parseManifests([{ path: 'example.yaml', content: example.yaml }]);
          expect(set.diagnostics).toEqual([]);
          const engine = createPolicyEngine({
            rules: [rule],
            kubernetesVersion: '1.35',
            locator: set.locator,
          });
          const found = set.resources.flatMap((r) => engine.check(r));
          expect(
            found.map((d) => d.path),
            `${rule.id}: ${example.title}`,
          ).toEqual(example.reports);
          for (const d of found) expect(d.span?.path, `${rule.id} ${d.path}`).toBe('example.yaml');
        }
      }
    }
  });
});

const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    hostPID: true,
    containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }],
  },
};

describe('workloads', () => {
  it.each([
    ['v1', 'Pod', template.spec, '/spec'],
    ['v1', 'PodTemplate', { template }, '/template/spec'],
    ['v1', 'ReplicationController', { template }, '/spec/template/spec'],
    ['apps/v1', 'Deployment', { template }, '/spec/template/spec'],
    ['apps/v1', 'StatefulSet', { template }, '/spec/template/spec'],
    ['apps/v1', 'DaemonSet', { template }, '/spec/template/spec'],
    ['apps/v1', 'ReplicaSet', { template }, '/spec/template/spec'],
    ['batch/v1', 'Job', { template }, '/spec/template/spec'],
    [
      'batch/v1',
      'CronJob',
      { schedule: '@daily', jobTemplate: { spec: { template } } },
      '/spec/jobTemplate/spec/template/spec',
    ],
  ])('%s %s reports inside its pod template', (apiVersion, kind, body, base) => {
    const object =
      kind === 'PodTemplate'
        ? { apiVersion, kind, metadata: { name: 'w' }, ...body }
        : { apiVersion, kind, metadata: { name: 'w' }, spec: body };
    const engine = createPolicyEngine({ rules: pssRules('baseline', '1.35'), kubernetesVersion: '1.35' });
    const diagnostics = engine.check(asResource(object));
    expect(diagnostics.map((d) => [d.code, d.path, d.severity])).toEqual([
      ['pss/hostNamespaces', `${base}/hostPID`, 'error'],
      ['pss/privileged', `${base}/containers/0/securityContext/privileged`, 'error'],
    ]);
    expect(diagnostics[1]?.message).toBe(
      'privileged (container "app" must not set securityContext.privileged=true)',
    );
  });

  it('evaluates a CronJob through evaluateWorkloadSecurity with its annotations', () => {
    const cronJob = asResource({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: {
            template: {
              metadata: {
                annotations: { 'container.apparmor.security.beta.kubernetes.io/job': 'unconfined' },
              },
              spec: {
                restartPolicy: 'OnFailure',
                securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  { name: 'job', image: 'busybox', securityContext: { capabilities: { drop: ['ALL'] } } },
                ],
              },
            },
          },
        },
      },
    });
    const result = evaluateWorkloadSecurity(cronJob, 'restricted', '1.35');
    expect(result?.failures.map((f) => [f.check, f.findings.map((x) => x.path)])).toEqual([
      [
        'appArmorProfile',
        [
          '/spec/jobTemplate/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1job',
        ],
      ],
      ['allowPrivilegeEscalation', ['/spec/jobTemplate/spec/template/spec/containers/0/securityContext']],
    ]);
    const engine = createPolicyEngine({
      rules: loadPack('pss-restricted', '1.35').rules,
      kubernetesVersion: '1.35',
    });
    expect(engine.check(cronJob).map((d) => d.code)).toEqual([
      'pss/appArmorProfile',
      'pss/allowPrivilegeEscalation',
    ]);
  });

  it('ignores resources that hold no pod', () => {
    const configMap = asResource({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      spec: template.spec,
    });
    const foreign = asResource({
      apiVersion: 'example.com/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template },
    });
    const engine = createPolicyEngine({ rules: pssRules('restricted', 'latest'), kubernetesVersion: '1.37' });
    expect(engine.check(configMap)).toEqual([]);
    expect(engine.check(foreign)).toEqual([]);
    expect(evaluateWorkloadSecurity(configMap, 'restricted', 'latest')).toBeUndefined();
  });
});

describe('evaluatePodSecurity', () => {
  it('lists failures as kubectl does: baseline checks, then restricted, each by id', () => {
    const result = evaluatePodSecurity(
      pod({
        hostNetwork: true,
        securityContext: { runAsUser: 0 },
        containers: [
          {
            name: 'api',
            securityContext: { privileged: true, runAsNonRoot: false, capabilities: { add: ['NET_ADMIN'] } },
          },
        ],
      }),
      'restricted',
      'latest',
    );
    expect(result.allowed).toBe(false);
    expect(result.failures.map((f) => `${f.reason} (${f.detail})`)).toEqual([
      'host namespaces (hostNetwork=true)',
      'privileged (container "api" must not set securityContext.privileged=true)',
      'allowPrivilegeEscalation != false (container "api" must set securityContext.allowPrivilegeEscalation=false)',
      'unrestricted capabilities (container "api" must set securityContext.capabilities.drop=["ALL"]; container "api" must not include "NET_ADMIN" in securityContext.capabilities.add)',
      'runAsNonRoot != true (container "api" must not set securityContext.runAsNonRoot=false)',
      'runAsUser=0 (pod must not set runAsUser=0)',
      'seccompProfile (pod or container "api" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });

  it('never changes its input and gives the same answer twice', () => {
    const input = pod({
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
      containers: [{ name: 'a', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }],
    });
    const frozen = deepFreeze(structuredClone(input));
    const first = evaluatePodSecurity(frozen, 'restricted', 'latest');
    expect(evaluatePodSecurity(frozen, 'restricted', 'latest')).toEqual(first);
    expect(frozen).toEqual(input);
  });

  it('checks ephemeral containers and tolerates junk where objects belong', () => {
    const result = evaluatePodSecurity(
      pod({
        securityContext: 'nonsense',
        volumes: 'none',
        containers: [null, 'x', { name: 'a', securityContext: null, ports: [null, { hostPort: 0 }] }],
        ephemeralContainers: [{ name: 'debug', securityContext: { privileged: true } }],
      }),
      'baseline',
      'latest',
    );
    expect(result.failures.map((f) => [f.check, f.findings.map((x) => x.path)])).toEqual([
      ['privileged', ['/spec/ephemeralContainers/0/securityContext/privileged']],
    ]);
    expect(evaluatePodSecurity({}, 'restricted', 'latest').allowed).toBe(true);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
