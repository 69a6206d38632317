// What the API server refuses when an object of a built-in kind is updated: the fields it keeps as
// they were created. A change to one fails the sync ("field is immutable"), the most common reason
// a GitOps sync of a merged change breaks; offline it shows before the merge.

import { compareQuantities, formatPointer, syncOptions } from '@shipshape/core';

/** A field an update may not change, with where it is. */
export interface UpdateProblem {
  /** JSON Pointer of the field in the new object. */
  readonly pointer: string;
  readonly message: string;
}

type Obj = Readonly<Record<string, unknown>>;

/** What to do about an immutable field: the object has to be created anew. */
const RECREATE =
  'the API server refuses the update; the object must be deleted and created again (Argo CD: the sync options Force=true,Replace=true; Flux: the kustomize.toolkit.fluxcd.io/force annotation)';

/**
 * The fields of `object` (of kind `group`/`kind`) that differ from `old`, the object the cluster
 * has, where the API server does not let an update change them. Values compare as written, with
 * the defaults the server fills in where one side leaves them out; fields the server sets itself
 * when the old manifest leaves them out (a Service's cluster IP, a claim's storage class) are
 * compared only when the old manifest names them. Messages never quote the values of a Secret or a
 * ConfigMap. An object its sync recreates instead of updating (see {@link recreatedBySync}) has
 * nothing to refuse.
 */
export function updateProblems(group: string, kind: string, object: Obj, old: Obj): UpdateProblem[] {
  const out: UpdateProblem[] = [];
  if (recreatedBySync(object)) return out;
  const spec = objectAt(object, 'spec');
  const oldSpec = objectAt(old, 'spec');
  const immutable = (path: readonly string[], now: unknown, before: unknown, why = 'field is immutable') => {
    if (equal(now, before)) return;
    out.push({ pointer: formatPointer(path), message: `${path.join('.')}: ${why}; ${RECREATE}` });
  };
  switch (`${group}/${kind}`) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/DaemonSet':
      immutable(['spec', 'selector'], spec?.['selector'], oldSpec?.['selector']);
      break;
    case 'apps/StatefulSet': {
      const why =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
      immutable(['spec', 'selector'], spec?.['selector'], oldSpec?.['selector'], why);
      immutable(['spec', 'serviceName'], spec?.['serviceName'] ?? '', oldSpec?.['serviceName'] ?? '', why);
      immutable(
        ['spec', 'podManagementPolicy'],
        spec?.['podManagementPolicy'] ?? 'OrderedReady',
        oldSpec?.['podManagementPolicy'] ?? 'OrderedReady',
        why,
      );
      immutable(
        ['spec', 'volumeClaimTemplates'],
        claimTemplates(spec?.['volumeClaimTemplates']),
        claimTemplates(oldSpec?.['volumeClaimTemplates']),
        why,
      );
      break;
    }
    case 'batch/Job': {
      if (spec?.['selector'] !== undefined && oldSpec?.['selector'] !== undefined)
        immutable(['spec', 'selector'], spec['selector'], oldSpec['selector']);
      immutable(['spec', 'template'], spec?.['template'], oldSpec?.['template']);
      const mode = (s: Obj | undefined) => s?.['completionMode'] ?? 'NonIndexed';
      immutable(['spec', 'completionMode'], mode(spec), mode(oldSpec));
      for (const field of ['podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'])
        immutable(['spec', field], spec?.[field], oldSpec?.[field]);
      // Completions default to 1 when neither they nor parallelism are written. An Indexed Job may
      // change them to its parallelism (elastic jobs; parallelism defaults to 1).
      const completions = (s: Obj | undefined) =>
        s?.['completions'] ?? (s?.['parallelism'] === undefined ? 1 : undefined);
      if (mode(spec) !== 'Indexed') {
        immutable(['spec', 'completions'], completions(spec), completions(oldSpec));
      } else if (
        spec?.['completions'] !== undefined &&
        !equal(spec['completions'], oldSpec?.['completions']) &&
        !equal(spec['completions'], spec['parallelism'] ?? 1)
      ) {
        out.push({
          pointer: formatPointer(['spec', 'completions']),
          message:
            'spec.completions: can only be modified in tandem with spec.parallelism; set both to the same number',
        });
      }
      break;
    }
    case '/Service': {
      const ip = oldSpec?.['clusterIP'];
      if (typeof ip === 'string' && ip !== '' && spec?.['clusterIP'] !== undefined)
        immutable(['spec', 'clusterIP'], spec['clusterIP'], ip, 'may not change once set');
      break;
    }
    case '/ConfigMap':
    case '/Secret': {
      if (kind === 'Secret') immutable(['type'], object['type'] ?? 'Opaque', old['type'] ?? 'Opaque');
      if (old['immutable'] !== true) break;
      const why = 'field is immutable when `immutable` is set';
      for (const field of kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'])
        immutable([field], object[field] ?? {}, old[field] ?? {}, why);
      immutable(['immutable'], object['immutable'], true, why);
      break;
    }
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      immutable(['roleRef'], roleRef(object['roleRef']), roleRef(old['roleRef']), 'cannot change roleRef');
      break;
    case '/PersistentVolume': {
      // The volume's source (nfs, csi, hostPath, …: every spec field but these) stays as created.
      const why = 'spec.persistentvolumesource is immutable after creation';
      const sources = new Set(
        [...Object.keys(spec ?? {}), ...Object.keys(oldSpec ?? {})].filter((k) => !VOLUME_FIELDS.has(k)),
      );
      for (const source of sources) {
        const now = spec?.[source];
        if (equal(now, oldSpec?.[source])) continue;
        // A source the change drops is gone from the new object: the finding goes on its spec.
        const path = now === undefined ? ['spec'] : ['spec', source];
        out.push({ pointer: formatPointer(path), message: `spec.${source}: ${why}; ${RECREATE}` });
      }
      immutable(
        ['spec', 'volumeMode'],
        spec?.['volumeMode'] ?? 'Filesystem',
        oldSpec?.['volumeMode'] ?? 'Filesystem',
      );
      break;
    }
    case '/PersistentVolumeClaim': {
      const why =
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
      for (const field of ['accessModes', 'selector', 'dataSource', 'dataSourceRef'])
        immutable(['spec', field], spec?.[field], oldSpec?.[field], why);
      immutable(
        ['spec', 'volumeMode'],
        spec?.['volumeMode'] ?? 'Filesystem',
        oldSpec?.['volumeMode'] ?? 'Filesystem',
        why,
      );
      // Filled in by the server (the default class, the bound volume) when the manifest leaves them out.
      for (const field of ['storageClassName', 'volumeName']) {
        if (oldSpec?.[field] !== undefined) immutable(['spec', field], spec?.[field], oldSpec[field], why);
      }
      // A volume grows and never shrinks: the request may not go below what the volume already
      // has, which the old request is unless its expansion failed.
      const storage = (s: Obj | undefined) =>
        objectAt(objectAt(s ?? {}, 'resources') ?? {}, 'requests')?.['storage'];
      const now = storage(spec);
      const before = storage(oldSpec);
      if (compareQuantities(now, before) === -1) {
        out.push({
          pointer: formatPointer(['spec', 'resources', 'requests', 'storage']),
          message: `spec.resources.requests.storage: a claim cannot shrink: the API server refuses a request below the volume's capacity, ${String(before)} before this change (unless that expansion failed); keep it at least that large, or move the data to a new claim`,
        });
      }
      break;
    }
    case 'scheduling.k8s.io/PriorityClass':
      immutable(['value'], object['value'], old['value'], 'may not be changed in an update.');
      immutable(
        ['preemptionPolicy'],
        object['preemptionPolicy'] ?? 'PreemptLowerPriority',
        old['preemptionPolicy'] ?? 'PreemptLowerPriority',
      );
      break;
    case 'networking.k8s.io/IngressClass':
      immutable(['spec', 'controller'], spec?.['controller'], oldSpec?.['controller']);
      break;
    case 'node.k8s.io/RuntimeClass':
      immutable(['handler'], object['handler'], old['handler']);
      break;
    case 'storage.k8s.io/StorageClass':
      immutable(
        ['parameters'],
        object['parameters'] ?? {},
        old['parameters'] ?? {},
        'updates to parameters are forbidden.',
      );
      immutable(
        ['provisioner'],
        object['provisioner'],
        old['provisioner'],
        'updates to provisioner are forbidden.',
      );
      immutable(
        ['reclaimPolicy'],
        object['reclaimPolicy'] ?? 'Delete',
        old['reclaimPolicy'] ?? 'Delete',
        'updates to reclaimPolicy are forbidden.',
      );
      immutable(
        ['volumeBindingMode'],
        object['volumeBindingMode'] ?? 'Immediate',
        old['volumeBindingMode'] ?? 'Immediate',
        'field is immutable',
      );
      break;
  }
  return out;
}

/**
 * Whether the GitOps tool deletes and creates the object rather than updating it: Argo CD and
 * Helm hooks (`argocd.argoproj.io/hook`, `helm.sh/hook`: recreated at each sync by default),
 * Argo CD's `Force=true` sync option (`kubectl apply --force` or `replace --force`, which delete
 * and create the object when the update is refused; `Replace=true` alone replaces it in place and
 * is refused the same), and Flux's
 * `kustomize.toolkit.fluxcd.io/force: enabled`.
 */
function recreatedBySync(object: Obj): boolean {
  const annotations = objectAt(objectAt(object, 'metadata') ?? {}, 'annotations');
  const labels = objectAt(objectAt(object, 'metadata') ?? {}, 'labels');
  const note = (key: string) =>
    annotations && Object.hasOwn(annotations, key) ? annotations[key] : undefined;
  if (note('argocd.argoproj.io/hook') !== undefined || note('helm.sh/hook') !== undefined) return true;
  if (syncOptions(object).includes('Force=true')) return true;
  const force = 'kustomize.toolkit.fluxcd.io/force';
  return (
    note(force) === 'enabled' ||
    (labels !== undefined && Object.hasOwn(labels, force) && labels[force] === 'enabled')
  );
}

/** A StatefulSet's claim templates as the server keeps them: without the kind, version and status it fills in. */
function claimTemplates(value: unknown): unknown {
  if (!Array.isArray(value)) return value ?? [];
  return value.map((template: unknown) => {
    if (!isObject(template)) return template;
    // No prototype: a `__proto__` key stays a key.
    const rest = Object.create(null) as Record<string, unknown>;
    for (const [key, field] of Object.entries(template))
      if (key !== 'apiVersion' && key !== 'kind' && key !== 'status') rest[key] = field;
    const spec = objectAt(template, 'spec');
    if (spec === undefined || spec['volumeMode'] !== undefined) return rest;
    return { ...rest, spec: { ...spec, volumeMode: 'Filesystem' } };
  });
}

/** The fields of a PersistentVolume's spec that are not its volume source. */
const VOLUME_FIELDS: ReadonlySet<string> = new Set([
  'capacity',
  'accessModes',
  'claimRef',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'mountOptions',
  'volumeMode',
  'nodeAffinity',
  'volumeAttributesClassName',
]);

/** A role reference with the API group the server fills in. */
function roleRef(value: unknown): unknown {
  return isObject(value) ? { apiGroup: 'rbac.authorization.k8s.io', ...value } : value;
}

function objectAt(value: Obj, key: string): Obj | undefined {
  const inner = Object.hasOwn(value, key) ? value[key] : undefined;
  return isObject(inner) ? inner : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON equality, key order aside. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
    );
  }
  return false;
}
