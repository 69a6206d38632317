import { compareText, type Resource } from '@shipshape/core';
import { selectorMatches } from '../label-selector.js';
import type { AdmissionTarget } from './match-resources.js';
import type { BindingModel, ParamKind, ParamRef } from './policy-model.js';
import type { KindCatalog } from './targets.js';
import { labelsOf } from './targets.js';

/** The params one evaluation uses: objects, none needed, none found, or a misconfiguration. */
export type ParamResolution =
  | { readonly kind: 'none-needed' }
  | { readonly kind: 'found'; readonly params: readonly Resource[] }
  | { readonly kind: 'not-found'; readonly description: string }
  | { readonly kind: 'error'; readonly message: string };

/** The objects of every paramKind, by group and kind: of two with one identity, the last added. */
export class ParamIndex {
  readonly #byKind = new Map<string, Map<string, Resource>>();
  /** `candidates` of each kind, made on first use after a change. */
  readonly #lists = new Map<string, readonly Resource[]>();
  #unnamed = 0;
  readonly #labels = new Map<Resource, Readonly<Record<string, unknown>>>();

  /** Add an object; returns the one it replaces (same namespace and name), if any. */
  add(resource: Resource): Resource | undefined {
    const key = `${resource.id.group}/${resource.id.kind}`;
    let objects = this.#byKind.get(key);
    if (!objects) {
      objects = new Map();
      this.#byKind.set(key, objects);
    }
    this.#lists.delete(key);
    const { namespace, name } = resource.id;
    // Objects without a name are never replaced (the server names them).
    const id = name === '' ? `\u0000${this.#unnamed++}` : `${namespace}\u0000${name}`;
    const replaced = objects.get(id);
    objects.set(id, resource);
    return replaced;
  }

  candidates(kind: ParamKind): readonly Resource[] {
    const key = `${kind.group}/${kind.kind}`;
    let list = this.#lists.get(key);
    if (!list) {
      list = [...(this.#byKind.get(key)?.values() ?? [])];
      this.#lists.set(key, list);
    }
    return list;
  }

  /** A candidate's labels, read once: its object may be read from its file on each access. */
  labels(resource: Resource): Readonly<Record<string, unknown>> {
    let labels = this.#labels.get(resource);
    if (!labels) {
      labels = labelsOf(resource.object);
      this.#labels.set(resource, labels);
    }
    return labels;
  }
}

/** Whether objects of a paramKind live in namespaces. */
export function isNamespacedParam(kind: ParamKind, index: ParamIndex, catalog: KindCatalog): boolean {
  const info = catalog.lookup(kind.group, kind.kind);
  return info ? info.namespaced : index.candidates(kind).some((r) => r.id.namespace !== '');
}

function describeRef(ref: ParamRef, namespace: string | undefined): string {
  const what = ref.name !== undefined ? `named ${ref.name}` : 'matching the selector';
  return `${what}${namespace ? ` in namespace ${namespace}` : ''}`;
}

function namespaceOf(resource: Resource): string {
  return resource.id.namespace || 'default';
}

function selects(ref: ParamRef, resource: Resource, index: ParamIndex): boolean {
  if (ref.name !== undefined) return resource.id.name === ref.name;
  return selectorMatches(ref.selector, index.labels(resource));
}

/**
 * The params of a binding for one request, as the API server finds them: by name or selector, in
 * `paramRef.namespace`, or in the request's namespace when that is unset and the kind is
 * namespaced. Several params mean one evaluation each; they are sorted by namespace and name.
 */
export function resolveParams(
  kind: ParamKind | undefined,
  binding: BindingModel,
  target: AdmissionTarget,
  index: ParamIndex,
  catalog: KindCatalog,
): ParamResolution {
  if (!kind) return { kind: 'none-needed' };
  const ref = binding.paramRef;
  if (!ref)
    return {
      kind: 'error',
      message: `the policy needs params (${kind.kind}) but binding ${binding.name} has no paramRef`,
    };
  const namespaced = isNamespacedParam(kind, index, catalog);
  let namespace: string | undefined;
  if (namespaced) {
    namespace = ref.namespace ?? (target.namespaced ? target.namespace : undefined);
    if (namespace === undefined) {
      return {
        kind: 'error',
        message: `binding ${binding.name} looks for ${kind.kind} params in the request's namespace, but ${target.kind} is cluster-scoped`,
      };
    }
  } else if (ref.namespace !== undefined) {
    return { kind: 'error', message: `paramRef.namespace is set, but ${kind.kind} is cluster-scoped` };
  }
  const params = index
    .candidates(kind)
    .filter((r) => (namespace === undefined || namespaceOf(r) === namespace) && selects(ref, r, index))
    .sort((a, b) => compareText(a.id.namespace, b.id.namespace) || compareText(a.id.name, b.id.name));
  if (params.length > 0) return { kind: 'found', params };
  return { kind: 'not-found', description: `no ${kind.kind} ${describeRef(ref, namespace)}` };
}

/**
 * Whether a paramRef could select `resource` for some request: by name or selector, in its
 * namespace when the ref names one (an unset namespace means the request's, which may be any).
 */
export function mightSelect(ref: ParamRef, resource: Resource, index: ParamIndex): boolean {
  return (
    (ref.namespace === undefined || namespaceOf(resource) === ref.namespace) && selects(ref, resource, index)
  );
}

/** Whether a paramRef selects any object in the repository at all (whatever the request). */
export function selectsAnything(kind: ParamKind, ref: ParamRef, index: ParamIndex): boolean {
  return index
    .candidates(kind)
    .some((r) => (ref.namespace === undefined || namespaceOf(r) === ref.namespace) && selects(ref, r, index));
}
