// Objects converted to the version an Equivalent rule names, as the API server converts them before
// it calls admission: decoded in the version they are written in, turned into the storage's
// internal form, then into the version the matching rule names. Most built-in resources have the
// same fields in all their served versions, and converting one only rewrites `apiVersion`; the
// storages whose fields differ between versions register a conversion here.

import { setOwn } from './cel-values.js';
import { HPA_CONVERSION } from './convert-autoscaling.js';
import { ENDPOINT_SLICE_CONVERSION } from './convert-discovery.js';
import { EVENT_CONVERSION } from './convert-events.js';
import { PRIORITY_LEVEL_CONVERSION } from './convert-flowcontrol.js';
import { INGRESS_CONVERSION } from './convert-networking.js';
import { PDB_CONVERSION } from './convert-policy.js';
import { ROLE_BINDING_CONVERSION } from './convert-rbac.js';
import {
  DEVICE_CLASS_CONVERSION,
  RESOURCE_CLAIM_CONVERSION,
  RESOURCE_CLAIM_TEMPLATE_CONVERSION,
  RESOURCE_SLICE_CONVERSION,
} from './convert-resource.js';

/**
 * An object as CEL expressions see it (see `toCelValue`): integers are `bigint`, other numbers
 * `number`, and maps plain objects (a `Map` when one of its keys is `constructor`).
 */
export type CelObject = Record<string, unknown>;

/** A group and version (`''` is the core group). */
export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/**
 * How the versions of one storage convert, through a hub: the shape of the storage's internal
 * type (usually its newest stable version). Both functions get an object the caller owns (made for
 * this request), may change it in place, and return the result; `apiVersion` is set by the caller.
 */
export interface StorageConversion {
  /** The resources of the storage, as `group/resource` (`/events`, `events.k8s.io/events`). */
  readonly resources: readonly string[];
  /** `object`, written in `from`, in the hub's shape. */
  toHub(object: CelObject, from: GroupVersion): CelObject;
  /** `object`, in the hub's shape, as version `to` writes it. */
  fromHub(object: CelObject, to: GroupVersion): CelObject;
}

const byResource = new Map<string, StorageConversion>();

/** Register the conversions of storages whose versions differ in their fields. */
function register(...conversions: readonly StorageConversion[]): void {
  for (const c of conversions) for (const resource of c.resources) byResource.set(resource, c);
}

register(
  HPA_CONVERSION,
  EVENT_CONVERSION,
  INGRESS_CONVERSION,
  ENDPOINT_SLICE_CONVERSION,
  PRIORITY_LEVEL_CONVERSION,
  PDB_CONVERSION,
  ROLE_BINDING_CONVERSION,
  DEVICE_CLASS_CONVERSION,
  RESOURCE_CLAIM_CONVERSION,
  RESOURCE_CLAIM_TEMPLATE_CONVERSION,
  RESOURCE_SLICE_CONVERSION,
);

/**
 * `object` (a built-in resource's, as CEL sees it, written in `from`) converted to `to`, a version
 * of the same storage, with `apiVersion` set to `to`. Changes `object` in place where it can.
 *
 * @example
 * ```ts
 * convertBuiltIn(hpaV2, { group: 'autoscaling', version: 'v2' }, { group: 'autoscaling', version: 'v1' }, 'horizontalpodautoscalers');
 * // spec.targetCPUUtilizationPercentage from the CPU utilization metric
 * ```
 */
export function convertBuiltIn(
  object: CelObject,
  from: GroupVersion,
  to: GroupVersion,
  resource: string,
): CelObject {
  let result = object;
  if (from.group !== to.group || from.version !== to.version) {
    const conversion = byResource.get(`${from.group}/${resource}`);
    if (conversion) result = conversion.fromHub(conversion.toHub(object, from), to);
  }
  setOwn(result, 'apiVersion', to.group === '' ? to.version : `${to.group}/${to.version}`);
  return result;
}
