import type { Severity } from '@shipshape/core';

/** Description of one diagnostic code, for reports (SARIF rules, docs). */
export interface CodeInfo {
  readonly code: string;
  readonly title: string;
  readonly help: string;
  readonly defaultSeverity: Severity;
}

/**
 * Every diagnostic code `@shipshape/manifests` emits.
 *
 * @example
 * ```ts
 * MANIFEST_CODES.find((c) => c.code === 'yaml/syntax')?.help;
 * ```
 */
export const MANIFEST_CODES: readonly CodeInfo[] = [
  {
    code: 'yaml/syntax',
    title: 'YAML syntax error',
    help: 'The document is not valid YAML. Fix the text at the position shown; the other documents of the file are still read.',
    defaultSeverity: 'error',
  },
  {
    code: 'yaml/duplicate-key',
    title: 'Duplicate mapping key',
    help: 'A key appears twice in one mapping. The API server rejects such objects in strict mode and most tools keep only the last value; remove one of them.',
    defaultSeverity: 'error',
  },
  {
    code: 'json/duplicate-key',
    title: 'Duplicate object key',
    help: 'A key appears twice in one JSON object. JSON.parse and most decoders keep only the last value, and the API server rejects it with strict field validation; remove one of them.',
    defaultSeverity: 'error',
  },
  {
    code: 'yaml/alias-bomb',
    title: 'YAML alias expansion too large',
    help: 'Anchors and aliases in this document expand to more nodes than allowed (a "billion laughs" document). It is refused without being expanded.',
    defaultSeverity: 'error',
  },
  {
    code: 'yaml/too-deep',
    title: 'Nesting too deep',
    help: 'The document nests collections deeper than allowed. Real Kubernetes objects stay far below the limit.',
    defaultSeverity: 'error',
  },
  {
    code: 'json/syntax',
    title: 'JSON syntax error',
    help: 'A .json file must hold one JSON value or a stream of JSON objects.',
    defaultSeverity: 'error',
  },
  {
    code: 'file/too-large',
    title: 'File too large',
    help: 'The file is larger than the configured limit and was not parsed. Split it, or raise the limit if it really is a manifest.',
    defaultSeverity: 'error',
  },
  {
    code: 'file/binary',
    title: 'Binary file',
    help: 'The file has a manifest extension but holds binary data (a NUL byte). It was not parsed.',
    defaultSeverity: 'error',
  },
  {
    code: 'file/encoding',
    title: 'Not UTF-8',
    help: 'Manifests must be UTF-8. UTF-16 with a byte-order mark is read (as Kubernetes does) with a warning; other encodings are refused.',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/not-an-object',
    title: 'Document is not an object',
    help: 'Each YAML document (and each item of a List) must be a mapping describing one Kubernetes object.',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/missing-api-version',
    title: 'apiVersion missing',
    help: 'Every Kubernetes object needs a string apiVersion such as `apps/v1`.',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/missing-kind',
    title: 'kind missing',
    help: 'Every Kubernetes object needs a string kind such as `Deployment`.',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/missing-name',
    title: 'metadata.name missing',
    help: 'Every Kubernetes object needs metadata.name (or metadata.generateName for objects created with a generated name).',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/component-config',
    title: 'A component configuration file',
    help: 'A document of a component configuration group (`kubelet.config.k8s.io`, `apiserver.config.k8s.io`, `pod-security.admission.config.k8s.io`, `kubeadm.k8s.io`, `audit.k8s.io`, `kind.x-k8s.io`, …) without metadata configures a program; it is not an object of the Kubernetes API, so it is not validated or checked by policies.',
    defaultSeverity: 'info',
  },
  {
    code: 'manifest/invalid-namespace',
    title: 'metadata.namespace is not a string',
    help: 'metadata.namespace must be a string when it is set.',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/invalid-list',
    title: 'A List that cannot be read',
    help: 'A `List` (or `ConfigMapList`, …) holds its objects under `items`, a list of objects. One whose items are not a list, or with a List among its items, is not read: nothing in it is checked. A List without items holds nothing.',
    defaultSeverity: 'error',
  },
  {
    code: 'manifest/namespace-ignored',
    title: 'Namespace on a cluster-scoped object',
    help: 'The kind is cluster-scoped (ClusterRole, Namespace, StorageClass, …): the API server ignores metadata.namespace, so the object is identified without it. Remove the field; it suggests the object was meant to be namespaced.',
    defaultSeverity: 'warning',
  },
  {
    code: 'manifest/duplicate-resource',
    title: 'Resource defined twice',
    help: 'Two documents define the same object (same group, kind, namespace and name). Only one can be applied; the other silently overwrites it.',
    defaultSeverity: 'error',
  },
];
