/**
 * The defaults the API server gives an object while it decodes a request, before admission runs:
 * a ValidatingAdmissionPolicy sees `object.spec.replicas` of a Deployment written without it (1),
 * and a Namespace's `kubernetes.io/metadata.name` label. These are the common ones of the built-in
 * kinds (from the API server's defaulting functions), not every one; fields whose default depends
 * on the Kubernetes version or on feature gates are left out. Values are CEL values (integers as
 * `bigint`), filled in place into an object `toCelValue` made.
 */

import { encodeBase64 } from './cel-values.js';
import { parseQuantity, Quantity } from './lib-quantity.js';

type Obj = Record<string, unknown>;

/**
 * Fill in the decoding defaults of a `group`/`kind` object in place; `version` is the version it
 * is written in, for the kinds whose defaults depend on it (HorizontalPodAutoscaler).
 *
 * @example
 * ```ts
 * const object = toCelValue(deployment); // spec.replicas absent
 * applyAdmissionDefaults(object, 'apps', 'Deployment'); // spec.replicas === 1n
 * ```
 */
export function applyAdmissionDefaults(object: unknown, group: string, kind: string, version = ''): void {
  if (!isObj(object)) return;
  const spec = object['spec'];
  if (group === '') quantitiesOfCoreKind(object, kind);
  if (group === '' && kind === 'Namespace') {
    namespaceLabel(object);
    return;
  }
  if (group === '' && kind === 'Secret') {
    secret(object);
    return;
  }
  if (!isObj(spec)) return;
  if (group === '' && kind === 'Pod') {
    podSpec(spec);
    pod(spec);
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
      rollingUpdate(spec, 'strategy', '25%', '25%');
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
      rollingUpdate(spec, 'updateStrategy', 1n, 0n);
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
  if (group === 'autoscaling' && kind === 'HorizontalPodAutoscaler') {
    horizontalPodAutoscaler(spec, version);
    return;
  }
  if (group === 'batch' && kind === 'CronJob') {
    fill(spec, 'concurrencyPolicy', 'Allow');
    fill(spec, 'suspend', false);
    fill(spec, 'successfulJobsHistoryLimit', 3n);
    fill(spec, 'failedJobsHistoryLimit', 1n);
    // The Job defaults belong to Job objects; only the pod template inside is defaulted here.
    const jobTemplate = spec['jobTemplate'];
    if (isObj(jobTemplate) && isObj(jobTemplate['spec'])) template(jobTemplate['spec']['template']);
  }
}

/**
 * An HPA's defaults, which depend on the version it is written in: every version gets
 * `minReplicas: 1`; the v2 family, written without metrics, scales on 80% CPU utilization (v1 has
 * no metrics: its conversion to the others adds that target), and v2 and v2beta2 complete a
 * written `behavior` with the default scaling rules (scale-down keeps no stabilization window: the
 * controller's flag decides it).
 */
function horizontalPodAutoscaler(spec: Obj, version: string): void {
  fill(spec, 'minReplicas', 1n);
  if (version === 'v1' || version === '') return;
  const metrics = spec['metrics'];
  if (metrics === undefined || metrics === null || (Array.isArray(metrics) && metrics.length === 0)) {
    const resource =
      version === 'v2beta1'
        ? { name: 'cpu', targetAverageUtilization: 80n }
        : { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80n } };
    Object.defineProperty(spec, 'metrics', {
      value: [{ type: 'Resource', resource }],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const behavior = spec['behavior'];
  if (version === 'v2beta1' || !isObj(behavior)) return;
  const policy = (type: string, value: bigint) => ({ type, value, periodSeconds: 15n });
  const scaleUp = fill(behavior, 'scaleUp', {});
  if (isObj(scaleUp)) {
    fill(scaleUp, 'stabilizationWindowSeconds', 0n);
    fill(scaleUp, 'selectPolicy', 'Max');
    fill(scaleUp, 'policies', [policy('Pods', 4n), policy('Percent', 100n)]);
  }
  const scaleDown = fill(behavior, 'scaleDown', {});
  if (isObj(scaleDown)) {
    fill(scaleDown, 'selectPolicy', 'Max');
    fill(scaleDown, 'policies', [policy('Percent', 100n)]);
  }
}

/** A `RollingUpdate` strategy at `key` unless another type is written, with its two limits. */
function rollingUpdate(spec: Obj, key: string, maxUnavailable: unknown, maxSurge: unknown): void {
  const strategy = fill(spec, key, {});
  if (!isObj(strategy)) return;
  fill(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] !== 'RollingUpdate') return;
  const rolling = fill(strategy, 'rollingUpdate', {});
  if (!isObj(rolling)) return;
  fill(rolling, 'maxUnavailable', maxUnavailable);
  fill(rolling, 'maxSurge', maxSurge);
}

function job(spec: Obj): void {
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1n;
    spec['parallelism'] = 1n;
  } else {
    fill(spec, 'parallelism', 1n);
  }
  // With a backoff limit per index, the overall limit is effectively unbounded (max int32).
  fill(spec, 'backoffLimit', spec['backoffLimitPerIndex'] === undefined ? 6n : 2147483647n);
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
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) if (isObj(item)) container(item);
  }
}

/** What only Pods get (not pod templates): service links, and requests copied from limits. */
function pod(spec: Obj): void {
  fill(spec, 'enableServiceLinks', true);
  for (const list of ['initContainers', 'containers']) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (const c of items) {
      if (!isObj(c) || !isObj(c['resources']) || !isObj(c['resources']['limits'])) continue;
      const limits = c['resources']['limits'];
      const requests = fill(c['resources'], 'requests', {});
      if (!isObj(requests)) continue;
      for (const name of Object.keys(limits)) fill(requests, name, limits[name]);
    }
  }
}

function secret(object: Obj): void {
  fill(object, 'type', 'Opaque');
  // stringData is write-only: the API server merges it into data (base64) while decoding.
  const stringData = object['stringData'];
  if (!isObj(stringData)) return;
  const data = fill(object, 'data', {});
  if (isObj(data)) {
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === 'string') data[key] = encodeBase64(value);
    }
  }
  delete object['stringData'];
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

/**
 * `Always` when the image's tag is `latest`, written or implied (no tag and no digest), as the API
 * server defaults; `nginx:latest@sha256:…` is `latest` too.
 */
function pullsAlways(image: string): boolean {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  return tag === 'latest' || (tag === undefined && at < 0);
}

function service(spec: Obj): void {
  fill(spec, 'type', 'ClusterIP');
  fill(spec, 'sessionAffinity', 'None');
  if (spec['type'] !== 'ExternalName') fill(spec, 'internalTrafficPolicy', 'Cluster');
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
 * Quantities as the API server hands them to admission: decoded, then written back in their
 * canonical form (`0.5` and `'500m'` → `'500m'`, `'1024Mi'` → `'1Gi'`, `1000` → `'1k'`), resource
 * lists rounded up to thousandths first (`'0.0005'` → `'1m'`), so `quantity(…)` works on values
 * written as YAML numbers and equal values compare equal as strings.
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

/** The quantities of a resource list (rounded up to thousandths, as the API server defaults them). */
function quantitiesIn(holder: Obj, key: string): void {
  const map = holder[key];
  if (!isObj(map)) return;
  for (const name of Object.keys(map)) quantityAt(map, name, true);
}

function quantityAt(holder: Obj, key: string, milli = false): void {
  const text = canonicalQuantity(holder[key], milli);
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
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/**
 * The canonical form of a quantity (a number, or a string the API server accepts), or `undefined`
 * for anything else (left as written, for schema validation to report). Binary quantities
 * (`Ki`…`Ei`) stay binary when whole and at least 1024 (`'1024Mi'` → `'1Gi'`); `e` notation stays
 * exponent notation; the rest is decimal: the largest power of 1000 that leaves a whole mantissa
 * (`1500` → `'1500'`, `2000` → `'2k'`, `0.5` → `'500m'`), finer than nano rounded up to nano.
 *
 * @example
 * ```ts
 * canonicalQuantity(0.5); // '500m'
 * canonicalQuantity('1536Mi'); // '1536Mi'
 * canonicalQuantity('0.0005', true); // '1m' (a resource list's quantity)
 * ```
 */
export function canonicalQuantity(value: unknown, milli = false): string | undefined {
  let q: Quantity | undefined;
  let format: 'binary' | 'decimal' | 'exponent' = 'decimal';
  if (typeof value === 'bigint') q = new Quantity(value, 1n);
  else if (typeof value === 'number') {
    const text = String(value);
    q = Number.isFinite(value) ? parseQuantity(text.replace('e+', 'e')) : undefined;
    if (/e/i.test(text)) format = 'exponent';
  } else if (typeof value === 'string') {
    q = parseQuantity(value);
    if (/[KMGTPE]i$/.test(value)) format = 'binary';
    else if (/[eE][+-]?\d+$/.test(value)) format = 'exponent';
  }
  if (q === undefined) return undefined;
  let num = q.num;
  let den = q.den;
  if (milli) [num, den] = roundUp(num, den, 1000n);
  [num, den] = roundUp(num, den, 1_000_000_000n);
  if (num === 0n) return '0';
  if (format === 'binary' && num % den === 0n && (num / den >= 1024n || num / den <= -1024n)) {
    let whole = num / den;
    let k = 0;
    while (k < 6 && whole % 1024n === 0n) {
      whole /= 1024n;
      k++;
    }
    return `${whole}${BINARY_SUFFIXES[k]}`;
  }
  // num/den with den a divisor of 10^9: as a mantissa times a power of ten.
  let exponent = -9;
  let mantissa = (num * 1_000_000_000n) / den;
  while ((exponent < 18 || format === 'exponent') && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (format === 'exponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_SUFFIXES[exponent] ?? `e${exponent}`}`;
}

/** `num/den` rounded up (away from zero) to a multiple of `1/unit`. */
function roundUp(num: bigint, den: bigint, unit: bigint): [bigint, bigint] {
  const scaled = num * unit;
  if (scaled % den === 0n) return [scaled / den, unit];
  const whole = scaled / den;
  return [whole + (num < 0n ? -1n : 1n), unit];
}
