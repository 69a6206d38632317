import { loadPack, type Rule } from '@shipshape/policy';

type Obj = Record<string, unknown>;

const pack = loadPack('best-practices', '1.35').rules;

/** A rule of the best-practices pack by id. */
export function bpRule(id: string): Rule {
  const rule = pack.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** A container named `name` with an image, plus fields. */
export function container(name: string, fields: Obj = {}): Obj {
  return { name, image: `${name}:1.0`, ...fields };
}

/** A Pod with these containers and extra spec fields. */
export function pod(name: string, containers: Obj[], spec: Obj = {}, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec: { containers, ...spec } };
}

/** A Deployment whose template has these containers, spec fields and template metadata. */
export function deployment(
  name: string,
  containers: Obj[],
  options: { spec?: Obj; template?: Obj; namespace?: string; top?: Obj } = {},
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(options.namespace ? { namespace: options.namespace } : {}) },
    spec: {
      ...options.top,
      template: {
        ...(options.template ? { metadata: options.template } : {}),
        spec: { containers, ...options.spec },
      },
    },
  };
}
