import type { Diagnostic } from '@shipshape/core';
import { type AdmissionPolicyRuleOptions, admissionPolicyRule, createPolicyEngine } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';

export type Obj = Record<string, unknown>;

/** Run the vap rule over objects (as `test.yaml`, document = index), check each then finish. */
export function runVap(objects: readonly Obj[], options: AdmissionPolicyRuleOptions = {}): Diagnostic[] {
  const engine = createPolicyEngine({ rules: [admissionPolicyRule(options)], kubernetesVersion: '1.35' });
  const resources = objects.map((object, i) => asResource(object, i));
  return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

/** `{ code, resource name, path, severity }` of each diagnostic, for compact assertions. */
export function summarize(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.resource?.name ?? '?'} ${d.path || '(root)'} ${d.severity}`);
}

export function policy(name: string, spec: Obj, apiVersion = 'admissionregistration.k8s.io/v1'): Obj {
  return { apiVersion, kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec };
}

export function binding(name: string, spec: Obj, apiVersion = 'admissionregistration.k8s.io/v1'): Obj {
  return {
    apiVersion,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'], ...spec },
  };
}

export const DEPLOYMENT_RULES = {
  resourceRules: [
    {
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      operations: ['CREATE', 'UPDATE'],
      resources: ['deployments'],
    },
  ],
};

export function deployment(
  name: string,
  namespace: string | undefined,
  replicas: number,
  extra: Obj = {},
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(extra['labels'] ? { labels: extra['labels'] } : {}),
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1.27',
              resources: { limits: { memory: (extra['memory'] as string | undefined) ?? '256Mi', cpu: 0.5 } },
            },
          ],
        },
      },
    },
  };
}

export function configMap(name: string, namespace: string, data: Obj, labels: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

export function namespace(name: string, labels: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A policy with one validation on Deployments, and its binding. */
export function simplePolicy(name: string, validation: Obj, spec: Obj = {}, bindingSpec: Obj = {}): Obj[] {
  return [
    policy(name, { matchConstraints: DEPLOYMENT_RULES, validations: [validation], ...spec }),
    binding(name, bindingSpec),
  ];
}
