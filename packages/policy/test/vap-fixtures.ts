import type { Diagnostic } from '@shipshape/core';
import { type AdmissionPolicyRuleOptions, admissionPolicyRule, createPolicyEngine } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { CostMeter } from '../src/vap/cel-cost.js';
import {
  type CompiledExpression,
  compileExpression,
  createVapEnvironment,
} from '../src/vap/cel-environment.js';
import { errorSummary, toCelValue } from '../src/vap/cel-values.js';
import { Authorizer } from '../src/vap/lib-authorizer.js';

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

/**
 * An evaluator of single expressions in the admission-policy environment, for the tests of its
 * libraries: the value; `{ refused }` (and `unsupported`) when the expression does not compile for
 * `version`; `{ error }` when it fails. `object` is the admitted object (JSON, converted as the
 * rule converts it).
 */
export function celEvaluator(
  costBudget?: number,
): (expression: string, options?: { readonly object?: unknown; readonly version?: string }) => unknown {
  const meter = new CostMeter(costBudget);
  const env = createVapEnvironment(meter);
  return (expression, { object = {}, version = '1.35' } = {}) => {
    const compiled = compileExpression(env, expression, 'any', version);
    if (!compiled.ok)
      return { refused: compiled.message, ...(compiled.unsupported ? { unsupported: true } : {}) };
    meter.reset();
    try {
      return runExpression(compiled.compiled, object);
    } catch (error) {
      return { error: errorSummary(error) };
    }
  };
}

/** Run a compiled admission-policy expression with `object` admitted and nothing else set. */
export function runExpression(compiled: CompiledExpression, object: unknown = {}): unknown {
  return compiled.program({
    object: toCelValue(object),
    oldObject: null,
    request: {},
    params: null,
    namespaceObject: null,
    variables: {},
    authorizer: new Authorizer(),
  }) as unknown;
}
