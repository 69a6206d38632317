/**
 * The defaults the API server gives an object while it decodes a request, before admission runs:
 * a ValidatingAdmissionPolicy sees `object.spec.replicas` of a Deployment written without it (1),
 * and a Namespace's `kubernetes.io/metadata.name` label. These are the common ones of the built-in
 * kinds (from the API server's defaulting functions), not every one; fields whose default depends
 * on the Kubernetes version or on feature gates are left out. Values are CEL values (integers as
 * `bigint`), filled in place into an object `toCelValue` made.
 */

type Obj = Record<string, unknown>;

/**
 * Fill in the decoding defaults of a `group`/`kind` object in place.
 *
 * @example
 * ```ts
 * const object = toCelValue(deployment); // spec.replicas absent
 * applyAdmissionDefaults(object, 'apps', 'Deployment'); // spec.replicas === 1n
 * ```
 */
export function applyAdmissionDefaults(object: unknown, group: string, kind: string): void {
  if (!isObj(object)) return;
  const spec = object['spec'];
  if (group === '') quantitiesOfCoreKind(object, kind);
  if (group === '' && kind === 'Namespace') {
    namespaceLabel(object);
    return;
  }
  if (!isObj(spec)) return;
  if (group === '' && kind === 'Pod') {
    podSpec(spec);
    return;
  }
  if (group === '' && kind === 'Service') {
    service(spec);
    return;
  }
  if (group === '' && (kind === 'ReplicationController' || kind === 'PodTemplate')) {
    if (kind === 'ReplicationController') fill(spec, 'replicas', 1n);
    template(kind === 'PodTemplate' ? object['template'] : spec['template']);
    return;
  }
  if (group === 'apps') {
    if (kind === 'Deployment') {
      fill(spec, 'replicas', 1n);
      fill(spec, 'revisionHistoryLimit', 10n);
      fill(spec, 'progressDeadlineSeconds', 600n);
      const strategy = fill(spec, 'strategy', {});
      if (isObj(strategy)) {
        fill(strategy, 'type', 'RollingUpdate');
        if (strategy['type'] === 'RollingUpdate') {
          const rolling = fill(strategy, 'rollingUpdate', {});
          if (isObj(rolling)) {
            fill(rolling, 'maxUnavailable', '25%');
            fill(rolling, 'maxSurge', '25%');
          }
        }
      }
    } else if (kind === 'StatefulSet') {
      const claims = spec['volumeClaimTemplates'];
      if (Array.isArray(claims)) {
        for (const claim of claims)
          if (isObj(claim) && isObj(claim['spec'])) resourceQuantities(claim['spec']['resources']);
      }
      fill(spec, 'replicas', 1n);
      fill(spec, 'podManagementPolicy', 'OrderedReady');
      fill(spec, 'revisionHistoryLimit', 10n);
      const strategy = fill(spec, 'updateStrategy', {});
      if (isObj(strategy)) fill(strategy, 'type', 'RollingUpdate');
    } else if (kind === 'DaemonSet') {
      fill(spec, 'revisionHistoryLimit', 10n);
      const strategy = fill(spec, 'updateStrategy', {});
      if (isObj(strategy)) {
        fill(strategy, 'type', 'RollingUpdate');
        if (strategy['type'] === 'RollingUpdate') {
          const rolling = fill(strategy, 'rollingUpdate', {});
          if (isObj(rolling)) {
            fill(rolling, 'maxUnavailable', 1n);
            fill(rolling, 'maxSurge', 0n);
          }
        }
      }
    } else if (kind === 'ReplicaSet') {
      fill(spec, 'replicas', 1n);
    } else {
      return;
    }
    template(spec['template']);
    return;
  }
  if (group === 'batch' && kind === 'Job') {
    job(spec);
    return;
  }
  if (group === 'batch' && kind === 'CronJob') {
    fill(spec, 'concurrencyPolicy', 'Allow');
    fill(spec, 'suspend', false);
    fill(spec, 'successfulJobsHistoryLimit', 3n);
    fill(spec, 'failedJobsHistoryLimit', 1n);
    const jobTemplate = spec['jobTemplate'];
    if (isObj(jobTemplate) && isObj(jobTemplate['spec'])) job(jobTemplate['spec']);
  }
}

function job(spec: Obj): void {
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1n;
    spec['parallelism'] = 1n;
  } else {
    fill(spec, 'parallelism', 1n);
  }
  fill(spec, 'backoffLimit', 6n);
  fill(spec, 'completionMode', 'NonIndexed');
  fill(spec, 'suspend', false);
  template(spec['template']);
}

function template(value: unknown): void {
  if (isObj(value) && isObj(value['spec'])) podSpec(value['spec']);
}

function podSpec(spec: Obj): void {
  quantitiesIn(spec, 'overhead');
  resourceQuantities(spec['resources']);
  const volumes = spec['volumes'];
  if (Array.isArray(volumes)) {
    for (const v of volumes) if (isObj(v) && isObj(v['emptyDir'])) quantityAt(v['emptyDir'], 'sizeLimit');
  }
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'terminationGracePeriodSeconds', 30n);
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'securityContext', {});
  fill(spec, 'enableServiceLinks', true);
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) if (isObj(item)) container(item);
  }
}

function container(c: Obj): void {
  resourceQuantities(c['resources']);
  fill(c, 'terminationMessagePath', '/dev/termination-log');
  fill(c, 'terminationMessagePolicy', 'File');
  if (c['imagePullPolicy'] === undefined && typeof c['image'] === 'string') {
    c['imagePullPolicy'] = pullsAlways(c['image']) ? 'Always' : 'IfNotPresent';
  }
  const ports = c['ports'];
  if (Array.isArray(ports)) for (const port of ports) if (isObj(port)) fill(port, 'protocol', 'TCP');
  for (const name of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = c[name];
    if (!isObj(probe)) continue;
    fill(probe, 'timeoutSeconds', 1n);
    fill(probe, 'periodSeconds', 10n);
    fill(probe, 'successThreshold', 1n);
    fill(probe, 'failureThreshold', 3n);
  }
}

/** `Always` for an image with the `latest` tag or none (and no digest), as the API server defaults. */
function pullsAlways(image: string): boolean {
  if (image.includes('@')) return false;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon <= slash || image.slice(colon + 1) === 'latest';
}

function service(spec: Obj): void {
  fill(spec, 'type', 'ClusterIP');
  fill(spec, 'sessionAffinity', 'None');
  const ports = spec['ports'];
  if (!Array.isArray(ports)) return;
  for (const port of ports) {
    if (!isObj(port)) continue;
    fill(port, 'protocol', 'TCP');
    if (port['targetPort'] === undefined && port['port'] !== undefined) port['targetPort'] = port['port'];
  }
}

function namespaceLabel(object: Obj): void {
  const metadata = object['metadata'];
  if (!isObj(metadata) || typeof metadata['name'] !== 'string') return;
  const labels = fill(metadata, 'labels', {});
  if (isObj(labels)) labels['kubernetes.io/metadata.name'] = metadata['name'];
}

/** The value at `key`, set to `value` first when absent (or null, as YAML writes an unset field). */
function fill(holder: Obj, key: string, value: unknown): unknown {
  if (holder[key] === undefined || holder[key] === null) {
    Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return holder[key];
}

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map);
}

/**
 * Quantities as the API server hands them to admission: written as YAML numbers (`cpu: 2`,
 * `cpu: 0.5`), they are decoded into quantities and given back as their canonical strings (`"2"`,
 * `"500m"`), so `quantity(c.resources.limits.cpu)` works on them. Strings are left as written.
 */
function quantitiesOfCoreKind(object: Obj, kind: string): void {
  const spec = object['spec'];
  if (!isObj(spec)) return;
  if (kind === 'ResourceQuota') quantitiesIn(spec, 'hard');
  else if (kind === 'PersistentVolumeClaim') resourceQuantities(spec['resources']);
  else if (kind === 'PersistentVolume') quantitiesIn(spec, 'capacity');
  else if (kind === 'LimitRange' && Array.isArray(spec['limits'])) {
    for (const limit of spec['limits']) {
      if (!isObj(limit)) continue;
      for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'])
        quantitiesIn(limit, key);
    }
  }
}

function resourceQuantities(resources: unknown): void {
  if (!isObj(resources)) return;
  quantitiesIn(resources, 'limits');
  quantitiesIn(resources, 'requests');
}

function quantitiesIn(holder: Obj, key: string): void {
  const map = holder[key];
  if (!isObj(map)) return;
  for (const name of Object.keys(map)) quantityAt(map, name);
}

function quantityAt(holder: Obj, key: string): void {
  const value = holder[key];
  if (typeof value !== 'bigint' && typeof value !== 'number') return;
  const text = canonicalQuantity(value);
  if (text !== undefined) holder[key] = text;
}

const DECIMAL_SUFFIXES: Readonly<Record<number, string>> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

/**
 * The canonical decimal form of a number as a quantity: the largest power of 1000 (from nano to
 * exa) that leaves a whole mantissa (`1500` → `1500`, `2000` → `2k`, `0.5` → `500m`); finer than
 * nano rounds up to nano, as the API server does.
 */
export function canonicalQuantity(value: bigint | number): string | undefined {
  let num: bigint;
  let scale: number; // value = num × 10^-scale
  if (typeof value === 'bigint') {
    num = value;
    scale = 0;
  } else {
    if (!Number.isFinite(value)) return undefined;
    const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
    const [whole = '', fraction = ''] = mantissa.split('.');
    num = BigInt(whole + fraction);
    scale = fraction.length - Number(exponent);
  }
  if (scale > 9) {
    // Round up (away from zero) to whole nanos.
    const divisor = 10n ** BigInt(scale - 9);
    const rounded = num / divisor + (num % divisor === 0n ? 0n : num < 0n ? -1n : 1n);
    num = rounded;
    scale = 9;
  }
  if (num === 0n) return '0';
  // Normalize to a power of ten that is a multiple of three.
  let exponent = -scale;
  while (((exponent % 3) + 3) % 3 !== 0) {
    num *= 10n;
    exponent -= 1;
  }
  while (exponent < 18 && num % 1000n === 0n) {
    num /= 1000n;
    exponent += 3;
  }
  return `${num}${DECIMAL_SUFFIXES[exponent] ?? `e${exponent}`}`;
}
