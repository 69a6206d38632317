import type { Resource } from '@shipshape/core';
import { ownString, splitApiVersion } from '@shipshape/core';
import { applyAdmissionDefaults } from './admission-defaults.js';
import { setOwn, toCelValue } from './cel-values.js';
import { convertBuiltIn } from './convert-versions.js';
import { builtInKind, guessResource, type KindInfo } from './kinds.js';
import type { AdmissionTarget, Operation } from './match-resources.js';
import { ADMISSION_GROUP } from './policy-model.js';
import { isRecord } from './problems.js';
import { builtInServing, type GroupVersionResource } from './served-resources.js';

/** The label the API server sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Kinds and their resources: CustomResourceDefinitions of the repository, then the built-in table. */
export class KindCatalog {
  readonly #custom = new Map<string, DefinitionFacts>();

  /** Learn the kind a CustomResourceDefinition defines. */
  addDefinition(resource: Resource): void {
    const facts = definitionFacts(resource);
    if (facts) this.addKind(facts);
  }

  /** Learn a kind from the facts of its definition, read earlier (see {@link definitionFacts}). */
  addKind(facts: DefinitionFacts): void {
    this.#custom.set(`${facts.group}/${facts.kind}`, facts);
  }

  lookup(group: string, kind: string): KindInfo | undefined {
    return this.#custom.get(`${group}/${kind}`) ?? builtInKind(group, kind);
  }

  /** The CustomResourceDefinition's facts of a kind, when the repository defines it. */
  definition(group: string, kind: string): DefinitionFacts | undefined {
    return this.#custom.get(`${group}/${kind}`);
  }

  /** The CustomResourceDefinition of the repository that serves `resource` in `group`. */
  definitionOfResource(group: string, resource: string): DefinitionFacts | undefined {
    for (const facts of this.#custom.values()) {
      if (facts.group === group && facts.resource === resource) return facts;
    }
    return undefined;
  }
}

/** A version a CustomResourceDefinition defines, and whether the API server serves it. */
export interface DefinedVersion {
  readonly name: string;
  readonly served: boolean;
}

/** What the catalog needs of a CustomResourceDefinition: a few strings, not the whole object. */
export interface DefinitionFacts extends KindInfo {
  readonly group: string;
  readonly kind: string;
  /** `spec.versions` (or a v1beta1 definition's `spec.version`); `undefined` when it has neither. */
  readonly versions?: readonly DefinedVersion[] | undefined;
  /**
   * Whether converting an object to another version only rewrites its `apiVersion`: conversion
   * strategy `None`, the default. A `Webhook` conversion cannot be done offline.
   */
  readonly renamesOnly?: boolean;
  /**
   * The CustomResourceDefinition itself, to read a version's schema from when a policy is
   * type-checked against the kind (rarely: its object is read again from its file then).
   */
  readonly source?: Resource;
}

/**
 * The kind a CustomResourceDefinition defines, read from its object. The admission rule reads it
 * while the file is at hand: a CRD's object is large, and reading it again at the end meant
 * parsing its file again (half a second for the corpus's CRDs).
 */
export function definitionFacts(resource: Resource): DefinitionFacts | undefined {
  const spec = resource.object['spec'];
  if (!isRecord(spec) || !isRecord(spec['names'])) return undefined;
  const { group, scope } = spec;
  const { kind, plural } = spec['names'];
  if (typeof group !== 'string' || typeof kind !== 'string') return undefined;
  return {
    // Own copies: the facts outlive the file's text.
    group: ownString(group),
    kind: ownString(kind),
    resource: ownString(typeof plural === 'string' ? plural : guessResource(kind)),
    namespaced: scope !== 'Cluster',
    versions: definedVersions(spec),
    renamesOnly: !isRecord(spec['conversion']) || (spec['conversion']['strategy'] ?? 'None') === 'None',
    source: resource,
  };
}

function definedVersions(spec: Record<string, unknown>): DefinedVersion[] | undefined {
  const { versions, version } = spec;
  if (Array.isArray(versions) && versions.length > 0) {
    return versions.flatMap((v) =>
      isRecord(v) && typeof v['name'] === 'string'
        ? [{ name: ownString(v['name']), served: v['served'] !== false }]
        : [],
    );
  }
  // apiextensions.k8s.io/v1beta1 allowed one `version` instead of the list.
  return typeof version === 'string' ? [{ name: ownString(version), served: true }] : undefined;
}

export function isDefinition(resource: Resource): boolean {
  return resource.id.kind === 'CustomResourceDefinition' && resource.id.group === 'apiextensions.k8s.io';
}

export function isNamespace(resource: Resource): boolean {
  return resource.id.kind === 'Namespace' && resource.id.group === '';
}

/**
 * Whether admission policies apply to a resource. The API server never sends admission
 * configuration itself (policies, bindings, webhook configurations) through them.
 */
export function isAdmissible(resource: Resource): boolean {
  return resource.id.group !== ADMISSION_GROUP && resource.id.kind !== '';
}

/**
 * The CREATE request a resource stands for, on Kubernetes 1.`minor`. A kind neither the table nor
 * a CRD describes gets a guessed resource name and counts as namespaced when its manifest names a
 * namespace; a namespaced resource without a namespace is created in `default`, as `kubectl apply`
 * would.
 */
export function admissionTarget(resource: Resource, catalog: KindCatalog, minor: number): AdmissionTarget {
  const { group, version } = splitApiVersion(resource.id.apiVersion);
  const kind = resource.id.kind;
  const definition = catalog.definition(group, kind);
  const info = definition ?? builtInKind(group, kind);
  const namespaced = info ? info.namespaced : resource.id.namespace !== '';
  const plural = info?.resource ?? guessResource(kind);
  return {
    group,
    version,
    kind,
    resource: plural,
    namespaced,
    namespace: namespaced ? resource.id.namespace || 'default' : '',
    name: resource.id.name,
    conversion: definition
      ? definition.renamesOnly === true
        ? 'rename'
        : 'as-written'
      : info
        ? 'built-in'
        : 'as-written',
    ...serving(group, version, plural, minor, definition, info !== undefined),
  };
}

/**
 * Whether the API server serves the version an object is written in, and the versions it would
 * convert the object to for an `Equivalent` rule. A CustomResourceDefinition's handler registers
 * every version the definition lists, served or not (conversion reaches them all), and serves
 * only those marked served. A built-in resource follows the served-resources table, or has its
 * one version. A custom resource whose definition is not in the repository may have any version
 * a rule names (`equivalents: undefined`).
 */
function serving(
  group: string,
  version: string,
  resource: string,
  minor: number,
  definition: DefinitionFacts | undefined,
  known: boolean,
): Pick<AdmissionTarget, 'served' | 'equivalents'> {
  if (definition?.versions) {
    const { versions } = definition;
    return {
      served: versions.some((v) => v.name === version && v.served),
      equivalents: versions
        .filter((v) => v.name !== version)
        .map((v): GroupVersionResource => ({ group, version: v.name, resource })),
    };
  }
  if (definition) return { served: true, equivalents: undefined };
  const builtIn = builtInServing(group, version, resource, minor);
  if (builtIn) return builtIn;
  return { served: true, equivalents: known ? [] : undefined };
}

/** The options kind of each request: an apply updates by patch. */
const OPTIONS_KIND: Readonly<Record<Operation, string>> = {
  CREATE: 'CreateOptions',
  UPDATE: 'PatchOptions',
  DELETE: 'DeleteOptions',
};

/**
 * `request`, as the API server gives it to expressions, for a request by an empty user: a CREATE,
 * an UPDATE as `kubectl apply` and the GitOps controllers send it (a patch, so with
 * `PatchOptions`), or the DELETE of a pruning sync.
 */
export function requestObject(
  target: AdmissionTarget,
  matched: GroupVersionResource,
  operation: Operation = 'CREATE',
): Record<string, unknown> {
  const requestKind = { group: target.group, version: target.version, kind: target.kind };
  const requestResource = { group: target.group, version: target.version, resource: target.resource };
  const same = matched.group === target.group && matched.version === target.version;
  // Matched through an equivalent version: the API server gives the rule's group and version (the
  // kind keeps its name: equivalent resources share one) and keeps the request's own in
  // `requestKind` and `requestResource`.
  return {
    uid: '',
    kind: same ? requestKind : { group: matched.group, version: matched.version, kind: target.kind },
    resource: same
      ? requestResource
      : { group: matched.group, version: matched.version, resource: matched.resource },
    subResource: '',
    requestKind,
    requestResource,
    requestSubResource: '',
    name: target.name,
    namespace: target.namespace,
    operation,
    userInfo: { username: '', uid: '', groups: [], extra: {} },
    dryRun: false,
    options: {
      apiVersion: 'meta.k8s.io/v1',
      kind: OPTIONS_KIND[operation],
    },
  };
}

/**
 * `object` for CEL: integers as ints, and the decoding defaults and the namespace filled in as the
 * API server would. Matched through another version (`matched`), it is converted to that version
 * as the API server would: a built-in resource by `convertBuiltIn`, a custom resource whose
 * definition converts by renaming gets that `apiVersion`; one converted by a webhook stays as
 * written (the webhook cannot be called offline).
 */
export function admittedObject(
  source: Readonly<Record<string, unknown>>,
  target: AdmissionTarget,
  matched: GroupVersionResource = target,
): unknown {
  let object = toCelValue(source) as Record<string, unknown>;
  // What the API server fills in while decoding the request, in the version it is written in,
  // before it converts the object for admission (replicas: 1, …).
  applyAdmissionDefaults(object, target.group, target.kind, target.version);
  const converts = matched.group !== target.group || matched.version !== target.version;
  if (converts && target.conversion === 'built-in')
    object = convertBuiltIn(object, target, matched, target.resource);
  else if (converts && target.conversion === 'rename')
    setOwn(
      object,
      'apiVersion',
      matched.group === '' ? matched.version : `${matched.group}/${matched.version}`,
    );
  if (!target.namespaced) return object;
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  if (metadata['namespace'] === target.namespace) return object;
  setOwn(object, 'metadata', { ...metadata, namespace: target.namespace });
  return object;
}

/** The labels of an object's metadata (an empty map when there are none). */
export function labelsOf(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const metadata = object['metadata'];
  const labels = isRecord(metadata) ? metadata['labels'] : undefined;
  return isRecord(labels) ? labels : {};
}

/** A namespace as policies see it: its labels (with the implicit name label) and its object. */
export interface NamespaceFacts {
  readonly labels: Readonly<Record<string, unknown>>;
  readonly object: unknown;
}

/** Facts of a Namespace written in the repository. */
export function namespaceFacts(name: string, object: Readonly<Record<string, unknown>>): NamespaceFacts {
  return namespaceFactsOf(name, object);
}

/** Facts of a namespace the repository does not define: only its name and the name label. */
export function implicitNamespace(name: string): NamespaceFacts {
  return namespaceFactsOf(name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

function namespaceFactsOf(name: string, object: Readonly<Record<string, unknown>>): NamespaceFacts {
  const labels = { ...labelsOf(object), [NAMESPACE_NAME_LABEL]: name };
  const converted = toCelValue(object) as Record<string, unknown>;
  const metadata = isRecord(converted['metadata']) ? converted['metadata'] : {};
  setOwn(converted, 'metadata', { ...metadata, labels });
  return { labels, object: converted };
}
