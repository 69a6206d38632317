// Dynamic Resource Allocation (resource.k8s.io): how DeviceClasses, ResourceClaims,
// ResourceClaimTemplates and ResourceSlices convert between the versions a release serves together
// (v1alpha3 and v1beta1 at 1.32; v1alpha3, v1beta1 and v1beta2 at 1.33; v1beta1, v1beta2 and v1 from
// 1.34), through the internal type, whose fields are v1's. Facts from kubernetes/kubernetes
// `pkg/apis/resource/{v1alpha3,v1beta1,v1beta2,v1}/conversion.go`, the generated conversions beside
// them and `staging/src/k8s.io/api/resource/*/types.go`. The stored copies of those files span
// several releases (one v1beta1 snapshot still had a `composite` device form and an annotation
// remembering which devices were `basic`); this follows 1.35, and v1alpha3 as 1.33 (the last release
// serving these kinds in it) converts it.
//
// What differs:
// - v1beta2 and v1 have the internal type's fields: only `apiVersion` changes between them.
// - v1beta1 and v1alpha3 write a request's one-device-class fields flat on the request; the hub
//   holds them in `exactly`, beside `firstAvailable`. The hub gets `exactly` only when one of them
//   is set (a non-empty class or mode, a non-zero count, any other of them present), and the flat
//   versions always write `deviceClassName`, `""` when there is no `exactly` (it has no omitempty).
// - v1beta1 and v1alpha3 wrap a ResourceSlice device's fields in `basic`; the hub has them on the
//   device. Towards them, `basic` is always written, `{}` for a device with only a name.
// - v1beta1 and v1alpha3 write the slice's `nodeName` and `allNodes` as plain values, the hub as
//   optional ones: `""` and `false` are "not set", so they disappear in both directions.
// - v1alpha3 writes a device capacity as a bare quantity, the others as `{ value, requestPolicy }`;
//   its requests have no `capacity`, and its devices no binding conditions, `bindsToNode` or
//   `allowMultipleAllocations` (those are dropped towards it, as the server drops them).
// - DeviceClasses, claim statuses (allocation results, device statuses), constraints, configs and
//   sub-requests have the same fields in every version served together: nothing to convert.
//
// Not modelled (Kubernetes would do it): the decoding defaults of the flat versions (a request with
// a class gets `allocationMode: ExactCount` and, then, `count: 1`; sub-requests too) belong to the
// decoding step, not this one; Go's omitempty, which drops empty lists and maps, zero counts and
// empty strings wherever the typed object is encoded again (an empty `selectors: []` stays here);
// fields a version does not know, which the server drops or refuses while decoding, stay where they
// are written (except the v1alpha3 device fields above); fields newer than 1.33 that v1alpha3 lacks
// in sub-requests, allocation results and DeviceClasses, which cannot occur where v1alpha3 is served.

import { setOwn } from './cel-values.js';
import { entriesOf, isObject, mapObjects, mapOf, objectAt, withoutKeys } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

/** The shape a version writes: the hub's (v1, v1beta2) or one of the two older, flatter ones. */
type Shape = 'hub' | 'v1beta1' | 'v1alpha3';

function shapeOf(version: GroupVersion): Shape {
  // v1alpha2 is a different API that no release serves beside these; it is left as it is.
  if (version.version === 'v1beta1' || version.version === 'v1alpha3') return version.version;
  return 'hub';
}

/** The fields a flat version writes on a request that the hub keeps in `exactly`, in its order. */
const FLAT_REQUEST_FIELDS: Readonly<Record<Exclude<Shape, 'hub'>, readonly string[]>> = {
  v1beta1: [
    'deviceClassName',
    'selectors',
    'allocationMode',
    'count',
    'adminAccess',
    'tolerations',
    'capacity',
  ],
  v1alpha3: ['deviceClassName', 'selectors', 'allocationMode', 'count', 'adminAccess', 'tolerations'],
};

/** The device fields v1alpha3's `basic` has (as of 1.33); the hub's others have no place in it. */
const V1ALPHA3_BASIC_FIELDS: readonly string[] = [
  'attributes',
  'capacity',
  'consumesCounters',
  'nodeName',
  'nodeSelector',
  'allNodes',
  'taints',
];

/** Whether a flat request field holds something the typed object would see as set. */
function isSet(field: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (field === 'deviceClassName' || field === 'allocationMode') return value !== '';
  if (field === 'count') return value !== 0n && value !== 0;
  return true;
}

function requestToHub(request: CelObject, fields: readonly string[]): CelObject {
  const out = withoutKeys(request, fields);
  const exactly: CelObject = {};
  let any = false;
  for (const field of fields) {
    if (!Object.hasOwn(request, field) || !isSet(field, request[field])) continue;
    setOwn(exactly, field, request[field]);
    any = true;
  }
  if (any) setOwn(out, 'exactly', { deviceClassName: '', ...exactly });
  return out;
}

function requestFromHub(request: CelObject, fields: readonly string[]): CelObject {
  const out = withoutKeys(request, ['exactly']);
  const exactly = request['exactly'];
  const fromExactly = isObject(exactly) ? exactly : {};
  const className = fromExactly['deviceClassName'];
  setOwn(out, 'deviceClassName', className === undefined || className === null ? '' : className);
  for (const field of fields) {
    if (field !== 'deviceClassName' && isSet(field, fromExactly[field]))
      setOwn(out, field, fromExactly[field]);
  }
  return out;
}

/** A claim spec's requests, each replaced by `convert`'s result; other values stay as written. */
function convertRequests(claimSpec: unknown, convert: (request: CelObject) => CelObject): void {
  mapObjects(objectAt(claimSpec, 'devices'), 'requests', convert);
}

/** Each entry of a capacity map (a `Map` when a capacity is named `constructor`), changed by `convert`. */
function mapCapacity(capacity: unknown, convert: (entry: unknown) => unknown): unknown {
  if (!isObject(capacity) && !(capacity instanceof Map)) return capacity;
  return mapOf(entriesOf(capacity).map(([name, entry]) => [name, convert(entry)] as const));
}

// A capacity without a value is Go's zero quantity, written "0".
const bareQuantity = (entry: unknown): unknown =>
  isObject(entry) ? (Object.hasOwn(entry, 'value') ? entry['value'] : '0') : entry;

function deviceToHub(device: CelObject, shape: Exclude<Shape, 'hub'>): CelObject {
  const out = withoutKeys(device, ['basic']);
  const basic = device['basic'];
  if (!isObject(basic)) return out;
  for (const [field, value] of Object.entries(basic)) {
    const hubValue =
      shape === 'v1alpha3' && field === 'capacity' ? mapCapacity(value, (q) => ({ value: q })) : value;
    setOwn(out, field, hubValue);
  }
  return out;
}

function deviceFromHub(device: CelObject, shape: Exclude<Shape, 'hub'>): CelObject {
  const out: CelObject = {};
  const basic: CelObject = {};
  for (const [field, value] of Object.entries(device)) {
    if (field === 'name') setOwn(out, field, value);
    else if (shape === 'v1beta1') setOwn(basic, field, value);
    else if (V1ALPHA3_BASIC_FIELDS.includes(field))
      setOwn(basic, field, field === 'capacity' ? mapCapacity(value, bareQuantity) : value);
  }
  setOwn(out, 'basic', basic);
  return out;
}

/** A ResourceSlice spec, between the hub and a flat version, in either direction. */
function convertSliceSpec(spec: unknown, convertDevice: (device: CelObject) => CelObject): void {
  if (!isObject(spec)) return;
  if (spec['nodeName'] === '' || spec['nodeName'] === null) delete spec['nodeName'];
  if (spec['allNodes'] === false || spec['allNodes'] === null) delete spec['allNodes'];
  mapObjects(spec, 'devices', convertDevice);
}

/**
 * DeviceClass (`resource.k8s.io/deviceclasses`): the same fields in every version served together,
 * so converting it only changes `apiVersion`. Registered so the storage is known to be handled.
 *
 * @example
 * ```ts
 * DEVICE_CLASS_CONVERSION.toHub(deviceClass, { group: 'resource.k8s.io', version: 'v1beta1' }); // unchanged
 * ```
 */
export const DEVICE_CLASS_CONVERSION: StorageConversion = {
  resources: ['resource.k8s.io/deviceclasses'],
  toHub: (object) => object,
  fromHub: (object) => object,
};

/**
 * ResourceClaim (`resource.k8s.io/resourceclaims`): `spec.devices.requests[]` flat in v1beta1 and
 * v1alpha3, with `exactly` in v1beta2 and v1.
 *
 * @example
 * ```ts
 * RESOURCE_CLAIM_CONVERSION.toHub(claimV1beta1, { group: 'resource.k8s.io', version: 'v1beta1' });
 * // requests[0]: { name, deviceClassName: 'gpu' } → { name, exactly: { deviceClassName: 'gpu' } }
 * ```
 */
export const RESOURCE_CLAIM_CONVERSION: StorageConversion = {
  resources: ['resource.k8s.io/resourceclaims'],
  toHub(object, from) {
    const shape = shapeOf(from);
    if (shape !== 'hub') convertRequests(object['spec'], (r) => requestToHub(r, FLAT_REQUEST_FIELDS[shape]));
    return object;
  },
  fromHub(object, to) {
    const shape = shapeOf(to);
    if (shape !== 'hub')
      convertRequests(object['spec'], (r) => requestFromHub(r, FLAT_REQUEST_FIELDS[shape]));
    return object;
  },
};

/**
 * ResourceClaimTemplate (`resource.k8s.io/resourceclaimtemplates`): its claim spec
 * (`spec.spec.devices.requests[]`) converts as a ResourceClaim's.
 *
 * @example
 * ```ts
 * RESOURCE_CLAIM_TEMPLATE_CONVERSION.fromHub(templateV1, { group: 'resource.k8s.io', version: 'v1beta1' });
 * // spec.spec.devices.requests[0].exactly.deviceClassName → spec.spec.devices.requests[0].deviceClassName
 * ```
 */
export const RESOURCE_CLAIM_TEMPLATE_CONVERSION: StorageConversion = {
  resources: ['resource.k8s.io/resourceclaimtemplates'],
  // The template's `spec` is a ResourceClaim's object shape: its own `spec` converts as a claim's.
  toHub(object, from) {
    const spec = object['spec'];
    if (isObject(spec)) RESOURCE_CLAIM_CONVERSION.toHub(spec, from);
    return object;
  },
  fromHub(object, to) {
    const spec = object['spec'];
    if (isObject(spec)) RESOURCE_CLAIM_CONVERSION.fromHub(spec, to);
    return object;
  },
};

/**
 * ResourceSlice (`resource.k8s.io/resourceslices`): `spec.devices[]` wrapped in `basic` in v1beta1
 * and v1alpha3 (with bare capacity quantities in v1alpha3), flat in v1beta2 and v1; an empty
 * `spec.nodeName` and a false `spec.allNodes` are unset.
 *
 * @example
 * ```ts
 * RESOURCE_SLICE_CONVERSION.toHub(sliceV1beta1, { group: 'resource.k8s.io', version: 'v1beta1' });
 * // devices[0]: { name, basic: { attributes } } → { name, attributes }
 * ```
 */
export const RESOURCE_SLICE_CONVERSION: StorageConversion = {
  resources: ['resource.k8s.io/resourceslices'],
  toHub(object, from) {
    const shape = shapeOf(from);
    if (shape !== 'hub') convertSliceSpec(object['spec'], (d) => deviceToHub(d, shape));
    return object;
  },
  fromHub(object, to) {
    const shape = shapeOf(to);
    if (shape !== 'hub') convertSliceSpec(object['spec'], (d) => deviceFromHub(d, shape));
    return object;
  },
};
