import type { Resource } from '@shipshape/core';
import { splitApiVersion } from '@shipshape/core';
import type { LabelSelector } from '../label-selector.js';
import { type AuditAnnotation, readAuditAnnotations } from './audit-annotations.js';
import { readLabelSelector } from './label-selector.js';
import { type MatchResources, readMatchResources } from './match-resources.js';
import { FieldReader, isRecord, type Problem } from './problems.js';

/** The API group of both kinds, and the versions read here. */
export const ADMISSION_GROUP = 'admissionregistration.k8s.io';
export const ADMISSION_VERSIONS: readonly string[] = ['v1', 'v1beta1'];

/** A CEL expression of a policy, with where it is written. */
export interface PolicyExpression {
  readonly expression: string;
  /** JSON Pointer of the `expression` field. */
  readonly path: string;
}

export interface NamedExpression extends PolicyExpression {
  readonly name: string;
}

export interface Validation extends PolicyExpression {
  readonly index: number;
  readonly message?: string;
  readonly messageExpression?: PolicyExpression;
  readonly reason?: string;
}

/** What a binding's paramKind asks for. */
export interface ParamKind {
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
}

/** A ValidatingAdmissionPolicy, read. */
export interface PolicyModel {
  readonly name: string;
  readonly resource: Resource;
  readonly paramKind: ParamKind | undefined;
  /** `undefined` when matchConstraints is missing: the policy then matches nothing. */
  readonly match: MatchResources | undefined;
  readonly matchConditions: readonly NamedExpression[];
  readonly variables: readonly NamedExpression[];
  readonly validations: readonly Validation[];
  readonly auditAnnotations: readonly AuditAnnotation[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly problems: readonly Problem[];
}

export interface ParamRef {
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly selector: LabelSelector | undefined;
  readonly notFound: 'Allow' | 'Deny';
}

export const VALIDATION_ACTIONS = ['Deny', 'Warn', 'Audit'] as const;
export type ValidationAction = (typeof VALIDATION_ACTIONS)[number];

/** A ValidatingAdmissionPolicyBinding, read. */
export interface BindingModel {
  readonly name: string;
  readonly resource: Resource;
  readonly policyName: string | undefined;
  readonly paramRef: ParamRef | undefined;
  readonly match: MatchResources | undefined;
  /** Empty when missing or invalid: the API server would reject the binding, so it is not applied. */
  readonly actions: readonly ValidationAction[];
  readonly problems: readonly Problem[];
}

function isAdmissionKind(resource: Resource, kind: string): boolean {
  // Kind and group first: every resource of a repository is asked, and almost none is one.
  if (resource.id.kind !== kind || resource.id.group !== ADMISSION_GROUP) return false;
  return ADMISSION_VERSIONS.includes(splitApiVersion(resource.id.apiVersion).version);
}

export function isPolicy(resource: Resource): boolean {
  return isAdmissionKind(resource, 'ValidatingAdmissionPolicy');
}

export function isBinding(resource: Resource): boolean {
  return isAdmissionKind(resource, 'ValidatingAdmissionPolicyBinding');
}

function namedExpressions(
  reader: FieldReader,
  spec: Record<string, unknown>,
  key: string,
): NamedExpression[] {
  const out: NamedExpression[] = [];
  const seen = new Set<string>();
  for (const [item, i] of reader.objects(spec, key, '/spec')) {
    const path = `/spec/${key}/${i}`;
    const name = reader.string(item, 'name', path);
    const expression = reader.string(item, 'expression', path);
    if (!name) reader.problem(path, `${key}[${i}] needs a name`);
    else if (seen.has(name)) reader.problem(`${path}/name`, `${key} has two entries named ${name}`);
    else if (key === 'variables' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      reader.problem(`${path}/name`, `variable name ${JSON.stringify(name)} is not a CEL identifier`);
    }
    if (expression === undefined) reader.problem(path, `${key}[${i}] needs an expression`);
    if (name && expression !== undefined && !seen.has(name))
      out.push({ name, expression, path: `${path}/expression` });
    if (name) seen.add(name);
  }
  return out;
}

function readValidations(reader: FieldReader, spec: Record<string, unknown>): Validation[] {
  const out: Validation[] = [];
  for (const [item, index] of reader.objects(spec, 'validations', '/spec')) {
    const path = `/spec/validations/${index}`;
    const expression = reader.string(item, 'expression', path);
    if (expression === undefined) {
      reader.problem(path, `validations[${index}] needs an expression`);
      continue;
    }
    const message = reader.string(item, 'message', path);
    const messageExpression = reader.string(item, 'messageExpression', path);
    const reason = reader.string(item, 'reason', path);
    out.push({
      index,
      expression,
      path: `${path}/expression`,
      ...(message !== undefined ? { message } : {}),
      ...(messageExpression !== undefined
        ? { messageExpression: { expression: messageExpression, path: `${path}/messageExpression` } }
        : {}),
      ...(reason !== undefined ? { reason } : {}),
    });
  }
  return out;
}

function readParamKind(reader: FieldReader, spec: Record<string, unknown>): ParamKind | undefined {
  const value = reader.object(spec, 'paramKind', '/spec');
  if (!value) return undefined;
  const apiVersion = reader.string(value, 'apiVersion', '/spec/paramKind');
  const kind = reader.string(value, 'kind', '/spec/paramKind');
  if (!apiVersion || !kind) {
    reader.problem('/spec/paramKind', 'paramKind needs apiVersion and kind');
    return undefined;
  }
  return { apiVersion, group: splitApiVersion(apiVersion).group, kind };
}

function nameOf(resource: Resource): string {
  return resource.id.name;
}

/** Read a ValidatingAdmissionPolicy; what is wrong with it is in `problems`. */
export function readPolicy(resource: Resource): PolicyModel {
  const reader = new FieldReader();
  const given = resource.object['spec'];
  const spec = isRecord(given) ? given : {};
  if (!isRecord(given)) reader.problem('', 'the policy has no spec');
  const constraints = reader.object(spec, 'matchConstraints', '/spec');
  if (!constraints) reader.problem('/spec', 'the policy needs matchConstraints with resourceRules');
  const validations = readValidations(reader, spec);
  const auditAnnotations = readAuditAnnotations(reader, spec, nameOf(resource));
  const annotationsWritten = Array.isArray(spec['auditAnnotations']) ? spec['auditAnnotations'].length : 0;
  if (validations.length === 0 && annotationsWritten === 0) {
    reader.problem('/spec', 'the policy needs validations (or auditAnnotations)');
  }
  return {
    name: nameOf(resource),
    resource,
    paramKind: readParamKind(reader, spec),
    match: constraints
      ? readMatchResources(constraints, '/spec/matchConstraints', reader, { required: true })
      : undefined,
    matchConditions: namedExpressions(reader, spec, 'matchConditions'),
    variables: namedExpressions(reader, spec, 'variables'),
    validations,
    auditAnnotations,
    failurePolicy: reader.choice(spec, 'failurePolicy', '/spec', ['Fail', 'Ignore'], 'Fail'),
    problems: reader.problems,
  };
}

function readParamRef(
  reader: FieldReader,
  spec: Record<string, unknown>,
  apiVersion: string,
): ParamRef | undefined {
  const value = reader.object(spec, 'paramRef', '/spec');
  if (!value) return undefined;
  const path = '/spec/paramRef';
  const name = reader.string(value, 'name', path);
  const selector = readLabelSelector(value['selector'], `${path}/selector`, reader);
  if ((name === undefined) === (selector === undefined)) {
    reader.problem(path, 'paramRef needs exactly one of name and selector');
  }
  // Only v1alpha1 defaults it (to Deny); the API server refuses a v1 or v1beta1 binding without it.
  if (value['parameterNotFoundAction'] === undefined && !apiVersion.endsWith('/v1alpha1')) {
    reader.problem(
      path,
      'paramRef needs parameterNotFoundAction (Allow or Deny): the API server refuses the binding without it',
    );
  }
  return {
    name,
    namespace: reader.string(value, 'namespace', path),
    selector,
    notFound: reader.choice(value, 'parameterNotFoundAction', path, ['Allow', 'Deny'], 'Deny'),
  };
}

function readActions(reader: FieldReader, spec: Record<string, unknown>): ValidationAction[] {
  const actions = reader.strings(spec, 'validationActions', '/spec') ?? [];
  if (actions.length === 0) {
    reader.problem(
      '/spec',
      'the binding needs validationActions (Deny, Warn and/or Audit); it is not applied',
    );
    return [];
  }
  const unknown = actions.filter((a) => !(VALIDATION_ACTIONS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    reader.problem(
      '/spec/validationActions',
      `unknown validation actions: ${unknown.join(', ')}; the binding is not applied`,
    );
    return [];
  }
  const twice = actions.filter((a, i) => actions.indexOf(a) !== i);
  if (twice.length > 0) {
    reader.problem(
      '/spec/validationActions',
      `${[...new Set(twice)].join(', ')} listed twice; the API server refuses the binding, so it is not applied`,
    );
    return [];
  }
  if (actions.includes('Deny') && actions.includes('Warn')) {
    reader.problem(
      '/spec/validationActions',
      'Deny and Warn may not be used together; the binding is not applied',
    );
    return [];
  }
  return VALIDATION_ACTIONS.filter((a) => actions.includes(a));
}

/** Read a ValidatingAdmissionPolicyBinding; what is wrong with it is in `problems`. */
export function readBinding(resource: Resource): BindingModel {
  const reader = new FieldReader();
  const given = resource.object['spec'];
  const spec = isRecord(given) ? given : {};
  if (!isRecord(given)) reader.problem('', 'the binding has no spec');
  const policyName = reader.string(spec, 'policyName', '/spec');
  if (!policyName) reader.problem('/spec', 'the binding needs a policyName');
  const match = reader.object(spec, 'matchResources', '/spec');
  return {
    name: nameOf(resource),
    resource,
    policyName,
    paramRef: readParamRef(reader, spec, resource.id.apiVersion),
    match: match ? readMatchResources(match, '/spec/matchResources', reader, { required: false }) : undefined,
    actions: readActions(reader, spec),
    problems: reader.problems,
  };
}
