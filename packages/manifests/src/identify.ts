import type {
  Diagnostic,
  KubernetesObject,
  Resource,
  ResourceId,
  ResourceSource,
  SourceSpan,
} from '@shipshape/core';
import { builtInKind, keepShape, ownString, sharedString, splitApiVersion } from '@shipshape/core';
import { contentStart, FileLocator } from './document-locator.js';

/**
 * Turn one parsed document into resources: a `List` gives one resource per item, anything else
 * one resource. Objects that cannot be identified give diagnostics instead, each at the field.
 */
export function identifyDocument(
  value: unknown,
  document: number,
  locator: FileLocator,
  resources: Resource[],
  diagnostics: Diagnostic[],
): void {
  if (!isObject(value)) {
    diagnostics.push(notAnObject(value, document, '', locator));
    return;
  }
  const items = value['items'];
  if (isListKind(value['kind']) && Array.isArray(items) && typeof value['apiVersion'] === 'string') {
    items.forEach((item: unknown, index) => {
      const prefix = `/items/${index}`;
      if (!isObject(item)) diagnostics.push(notAnObject(item, document, prefix, locator));
      else if (isListKind(item['kind']) && Array.isArray(item['items']))
        diagnostics.push(
          listProblem(
            document,
            prefix,
            locator,
            'a List inside a List is not read: move its items up into the outer one',
          ),
        );
      else identifyObject(item, document, index, prefix, locator, resources, diagnostics);
    });
    return;
  }
  // The built-in lists (`List`, `ConfigMapList`, …; not a custom kind such as `AllowList`) hold
  // nothing when their items are left empty, and cannot be read with items that are not a list.
  if (isBuiltInList(value)) {
    if (items === undefined || items === null) return;
    const problem = `the List's items must be a list of objects, not ${describe(items)}`;
    diagnostics.push(listProblem(document, '/items', locator, problem));
    return;
  }
  identifyObject(value, document, undefined, '', locator, resources, diagnostics);
}

function identifyObject(
  object: KubernetesObject,
  document: number,
  item: number | undefined,
  prefix: string,
  locator: FileLocator,
  resources: Resource[],
  diagnostics: Diagnostic[],
): void {
  const problems: Array<[code: string, pointer: string, message: string]> = [];
  const apiVersion = object['apiVersion'];
  const kind = object['kind'];
  const metadata = object['metadata'];
  // A component's configuration file (a KubeletConfiguration, kubeadm's ClusterConfiguration, a
  // PodSecurityConfiguration) has no metadata by design: it is not an object of the API.
  if (
    typeof apiVersion === 'string' &&
    typeof kind === 'string' &&
    kind !== '' &&
    isComponentConfig(apiVersion) &&
    !(isObject(metadata) && typeof metadata['name'] === 'string' && metadata['name'] !== '')
  ) {
    const span = locator.locate(document, prefix, false);
    diagnostics.push({
      code: 'manifest/component-config',
      severity: 'info',
      message: `${apiVersion} ${kind} is the configuration file of a component, not an object of the Kubernetes API: it is not checked`,
      path: '',
      ...(span ? { span } : {}),
    });
    return;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    problems.push(['manifest/missing-api-version', '/apiVersion', fieldMessage('apiVersion', apiVersion)]);
  }
  if (typeof kind !== 'string' || kind === '') {
    problems.push(['manifest/missing-kind', '/kind', fieldMessage('kind', kind)]);
  }
  let name = '';
  let namespace = '';
  if (!isObject(metadata)) {
    problems.push([
      'manifest/missing-name',
      '/metadata',
      metadata === undefined
        ? 'metadata is missing, so the object has no name'
        : 'metadata must be a mapping',
    ]);
  } else {
    const n = metadata['name'];
    const generateName = metadata['generateName'];
    if (typeof n === 'string' && n !== '') name = n;
    else if (typeof generateName !== 'string' || generateName === '' || n !== undefined) {
      problems.push(['manifest/missing-name', '/metadata/name', fieldMessage('metadata.name', n)]);
    }
    const ns = metadata['namespace'];
    if (typeof ns === 'string') namespace = ns;
    else if (ns !== undefined && ns !== null) {
      problems.push([
        'manifest/invalid-namespace',
        '/metadata/namespace',
        `metadata.namespace must be a string, not ${describe(ns)}`,
      ]);
    }
  }
  let id: ResourceId | undefined =
    typeof apiVersion === 'string' && typeof kind === 'string'
      ? {
          apiVersion: sharedString(apiVersion),
          group: sharedString(splitApiVersion(apiVersion).group),
          kind: sharedString(kind),
          namespace: sharedString(namespace),
          name: ownString(name),
        }
      : undefined;
  // The API server drops the namespace of a cluster-scoped object: so does its identity (two
  // ClusterRoles named alike are one object whatever namespace each was written with). Looked up
  // with the shared strings, whose hashes are kept.
  const ignoredNamespace =
    id !== undefined && namespace !== '' && builtInKind(id.group, id.kind)?.namespaced === false;
  if (id !== undefined && ignoredNamespace) id = { ...id, namespace: '' };
  for (const [code, pointer, message] of problems) {
    // A missing field points at the object holding it: the locator falls back to the parent.
    const span = locator.locate(document, prefix + pointer, true);
    diagnostics.push({
      code,
      severity: 'error',
      message,
      path: pointer,
      ...(id ? { resource: id } : {}),
      ...(span ? { span } : {}),
    });
  }
  if (problems.length > 0 || !id) return;
  if (ignoredNamespace) {
    const span = locator.locate(document, `${prefix}/metadata/namespace`, false);
    diagnostics.push({
      code: 'manifest/namespace-ignored',
      severity: 'warning',
      message: `${kind as string} is cluster-scoped: the API server ignores metadata.namespace; remove it`,
      resource: id,
      path: '/metadata/namespace',
      ...(span ? { span } : {}),
    });
  }
  resources.push({ id, object, source: new FileSource(locator, document, item, prefix) });
}

/**
 * Where a resource was written. Its `span` (the whole document, or the `List` item) is worked out
 * on first use: most resources never need it, and positions cost a pass over the file's text.
 */
export class FileSource implements ResourceSource {
  readonly path: string;
  readonly ref?: string;
  readonly document: number;
  readonly item?: number;
  readonly #locator: FileLocator;
  readonly #prefix: string;
  #span: SourceSpan | undefined;

  constructor(locator: FileLocator, document: number, item: number | undefined, prefix: string) {
    this.path = locator.path;
    if (locator.ref !== undefined) this.ref = locator.ref;
    this.document = document;
    if (item !== undefined) this.item = item;
    this.#locator = locator;
    this.#prefix = prefix;
  }

  get span(): SourceSpan {
    if (this.#span === undefined) {
      const locator = this.#locator;
      const range = locator.documents[this.document];
      const start = range ? contentStart(locator.text, range) : 0;
      this.#span =
        this.item === undefined
          ? locator.span(this.document, start, range?.end ?? start)
          : (locator.locate(this.document, this.#prefix) ?? locator.span(this.document, start, start));
    }
    return this.#span;
  }

  toJSON(): ResourceSource {
    return { ...this, span: this.span };
  }
}

// Sources die with their repository's resources: one kept keeps their hidden class, and the code
// compiled for it (see keepShape). The usual shape: no ref, no List item.
keepShape(new FileSource(new FileLocator('', undefined, '', [], 1), 0, undefined, ''));

/** `List` and the typed lists (`ConfigMapList`, …) that `kubectl get -o yaml` prints. */
function isListKind(kind: unknown): boolean {
  return typeof kind === 'string' && kind.endsWith('List');
}

function isBuiltInList(value: Record<string, unknown>): boolean {
  const kind = value['kind'];
  const apiVersion = value['apiVersion'];
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !isListKind(kind)) return false;
  if (kind === 'List') return apiVersion === 'v1';
  return builtInKind(splitApiVersion(apiVersion).group, kind.slice(0, -'List'.length)) !== undefined;
}

function listProblem(document: number, pointer: string, locator: FileLocator, message: string): Diagnostic {
  const span = locator.locate(document, pointer, true);
  return {
    code: 'manifest/invalid-list',
    severity: 'error',
    message,
    ...(pointer === '' ? {} : { path: pointer }),
    ...(span ? { span } : {}),
  };
}

function notAnObject(value: unknown, document: number, pointer: string, locator: FileLocator): Diagnostic {
  const span = locator.locate(document, pointer);
  const what = pointer === '' ? 'the document' : `item ${pointer.slice('/items/'.length)} of the List`;
  return {
    code: 'manifest/not-an-object',
    severity: 'error',
    message: `${what} is ${describe(value)}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)`,
    ...(pointer === '' ? {} : { path: pointer }),
    ...(span ? { span } : {}),
  };
}

function fieldMessage(field: string, value: unknown): string {
  if (value === undefined) return `${field} is missing`;
  if (value === '') return `${field} is empty`;
  return `${field} must be a string, not ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`;
  return `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Strings that js-yaml slices out of a file's text point into that text (V8 "sliced strings", for
// 13 characters or more), so an identity kept after the file is done would keep a copy of the whole
// file alive: 24 MiB on the generated 30,000-resource repository. Identities get strings of their
// own (`ownString`), one copy for values repeated across resources (`sharedString`).

/**
 * Whether an apiVersion is that of a component's configuration file rather than of an API object:
 * the `*.config.k8s.io` groups (kubelet, kube-proxy, the scheduler, the API server's admission
 * plugins, kustomize), kubeadm's, the audit policy's and kind's cluster configuration.
 */
function isComponentConfig(apiVersion: string): boolean {
  const group = splitApiVersion(apiVersion).group;
  return group.endsWith('.config.k8s.io') || COMPONENT_CONFIG_GROUPS.has(group);
}

const COMPONENT_CONFIG_GROUPS = new Set(['kubeadm.k8s.io', 'audit.k8s.io', 'kind.x-k8s.io']);
