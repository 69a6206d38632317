import type { Severity } from '@shipshape/core';

/** Description of one diagnostic code, for reports (SARIF rules, docs). */
export interface SchemaCodeInfo {
  readonly code: string;
  readonly title: string;
  readonly help: string;
  readonly defaultSeverity: Severity;
}

/**
 * Every diagnostic code `@shipshape/schema` emits.
 *
 * @example
 * ```ts
 * SCHEMA_CODES.map((c) => c.code).includes('schema/unknown-field'); // true
 * ```
 */
export const SCHEMA_CODES: readonly SchemaCodeInfo[] = [
  {
    code: 'schema/unknown-field',
    title: 'Unknown field',
    help: 'The field is not in the schema of this kind (often a typo). The API server drops or rejects it. Use --no-strict to allow unknown fields.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/missing-field',
    title: 'Required field missing',
    help: 'The schema of this kind requires the field.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/type',
    title: 'Wrong type',
    help: 'The value has the wrong type for this field (quote numbers meant as strings; YAML reads `on`, `yes` and `no` as booleans).',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/enum',
    title: 'Value not allowed',
    help: 'The field takes one of a fixed set of values.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/format',
    title: 'Bad format',
    help: 'The value does not have the format the field needs (a quantity such as 500m or 1Gi, an RFC 3339 time, a Go duration, base64, a 32-bit integer).',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/invalid',
    title: 'Schema violation',
    help: 'The value breaks a rule of the schema (a range, a pattern, a length, or an item that repeats another in a custom resource list declared x-kubernetes-list-type set, or map with the same x-kubernetes-list-map-keys values).',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/invalid-name',
    title: 'Name or namespace the API server rejects',
    help: 'metadata.name must follow its kind\'s rule (most kinds: a DNS subdomain, lower-case letters, digits, `-` and `.`; Namespace: a DNS label; Service: a DNS-1035 label; RBAC roles and bindings: no `/` or `%`), and metadata.namespace a DNS label. The OpenAPI schemas say only "string", so schema validators let these through.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/invalid-metadata',
    title: 'Label or annotation the API server rejects',
    help: 'Label and annotation keys are `[prefix/]name`: a DNS-subdomain prefix and a name of at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit; label values follow the same rule (or are empty); annotations may take 256 KiB in all.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/immutable-field',
    title: 'Field an update may not change',
    help: 'With the objects before the change (`check --changed-since REF`), an object the cluster already has is an update, and the API server keeps some fields as they were created: the selector of a Deployment, ReplicaSet or DaemonSet; the selector, serviceName, podManagementPolicy and volumeClaimTemplates of a StatefulSet; the template (and a given selector) of a Job, its completions (an Indexed Job may change them together with its parallelism), completionMode, podFailurePolicy, backoffLimitPerIndex, managedBy and successPolicy; a Service clusterIP once set; the type of a Secret, and the data of a ConfigMap or Secret marked `immutable`; the roleRef of a RoleBinding or ClusterRoleBinding; the spec of a PersistentVolumeClaim but for its resources; the volume source (nfs, csi, hostPath, …) and volumeMode of a PersistentVolume; the value and preemptionPolicy of a PriorityClass; the controller of an IngressClass; the handler of a RuntimeClass; the parameters, provisioner, reclaimPolicy and volumeBindingMode of a StorageClass. The sync of such a change fails until the object is deleted and created again; objects the sync recreates anyway (Argo CD and Helm hooks, `argocd.argoproj.io/sync-options` with Force=true, Flux `kustomize.toolkit.fluxcd.io/force: enabled`) are not reported; Replace=true alone replaces the object in place, which the API server refuses the same. A PersistentVolumeClaim whose storage request goes down is reported too: a volume never shrinks.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/invalid-crd',
    title: 'CustomResourceDefinition the API server rejects',
    help: 'The apiextensions API server refuses a CRD whose name is not `<spec.names.plural>.<spec.group>`, whose names are not DNS-1035 labels (kinds may mix case), whose versions repeat a name or do not mark exactly one `storage: true`, or whose version schemas are not structural: every field needs a `type` (unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields), the root is an object, metadata may only restrict name and generateName, `$ref`, `definitions`, `dependencies`, `id`, `patternProperties`, `additionalItems` and `uniqueItems: true` are not supported, `properties` and `additionalProperties` exclude each other, and `map` lists name keys that are required or defaulted; `spec.preserveUnknownFields` is not true, every `pattern` compiles as RE2, and no `default` sits in top-level apiVersion, kind or metadata or fails its own schema. Its custom resources are still checked against it.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/unknown-kind',
    title: 'Unknown kind',
    help: 'The apiVersion belongs to a built-in Kubernetes group, but the target version has no such kind in it.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/no-schema',
    title: 'No schema for a custom resource',
    help: 'No CustomResourceDefinition in the repository (or in the folders named under `crds` in shipshape.yaml) defines this kind, so it was not validated.',
    defaultSeverity: 'warning',
  },
  {
    code: 'schema/cel',
    title: 'CRD validation rule failed',
    help: 'An x-kubernetes-validations (CEL) rule of the CustomResourceDefinition is false for this resource; the API server would reject it with the rule message.',
    defaultSeverity: 'error',
  },
  {
    code: 'schema/cel-not-evaluated',
    title: 'CEL rules not evaluated',
    help: 'A CEL rule of this CRD was not evaluated: transition rules (oldSelf) need the stored object, and the Kubernetes CEL libraries (quantity, url, ip, …) are not in the standard evaluator. The rest of the schema is checked.',
    defaultSeverity: 'info',
  },
  {
    code: 'schema/version-fallback',
    title: 'Nearest bundled Kubernetes version used',
    help: 'The requested Kubernetes version is not bundled; the nearest older bundled version is used.',
    defaultSeverity: 'info',
  },
  {
    code: 'api/deprecated',
    title: 'Deprecated API',
    help: 'This apiVersion of the kind is deprecated in the target Kubernetes version; move to the replacement before it is removed.',
    defaultSeverity: 'warning',
  },
  {
    code: 'api/removed',
    title: 'Removed API',
    help: 'This apiVersion of the kind no longer exists in the target Kubernetes version; the API server rejects it. Move to the replacement.',
    defaultSeverity: 'error',
  },
];
