// EndpointSlices: discovery.k8s.io v1beta1 (served 1.17–1.24) and v1 (from 1.21). The internal
// type has v1's fields, so v1 is the hub. Facts from kubernetes/kubernetes
// `pkg/apis/discovery/v1beta1/conversion.go` and the generated conversions beside it.
//
// What differs, per endpoint: v1beta1 keeps the endpoint's topology as one label map, `topology`;
// v1 has the zone and the node as fields (`zone`, `nodeName`) and what else the map held in
// `deprecatedTopology`. Towards v1, the zone label becomes `zone`; the hostname label becomes
// `nodeName` when the endpoint has none (v1beta1 has `nodeName` too, from 1.20), and is dropped
// when it equals the one it has (a different one stays in `deprecatedTopology`); an empty rest
// leaves no `deprecatedTopology`. Towards v1beta1, an endpoint with any of the three gets a
// `topology` built from `deprecatedTopology`, the zone and, unless the map already has a non-empty
// hostname, the node name (which v1beta1 also keeps as `nodeName`). So a v1beta1 endpoint with only
// a hostname label comes back with `nodeName` set as well, as the server writes it. Everything else
// of a slice (addresses, conditions, hints, ports) has the same fields in both.

import { entriesOf, isUnset, mapObjects, mapOf, withoutKeys } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

/** The well-known topology labels v1 turned into fields. */
const ZONE_LABEL = 'topology.kubernetes.io/zone';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A v1beta1 endpoint as v1 writes it. */
function endpointToHub(endpoint: CelObject): CelObject {
  const { topology } = endpoint;
  const out = withoutKeys(endpoint, ['topology', 'deprecatedTopology', 'zone']);
  if (isUnset(topology)) return out;
  const rest = new Map(entriesOf(topology));
  if (rest.has(ZONE_LABEL)) {
    out['zone'] = rest.get(ZONE_LABEL);
    rest.delete(ZONE_LABEL);
  }
  if (rest.has(HOSTNAME_LABEL)) {
    const node = rest.get(HOSTNAME_LABEL);
    if (isUnset(out['nodeName'])) {
      out['nodeName'] = node;
      rest.delete(HOSTNAME_LABEL);
    } else if (out['nodeName'] === node) {
      rest.delete(HOSTNAME_LABEL);
    }
  }
  if (rest.size > 0) out['deprecatedTopology'] = mapOf(rest);
  return out;
}

/** A v1 endpoint as v1beta1 writes it. */
function endpointFromHub(endpoint: CelObject): CelObject {
  const { deprecatedTopology, zone, nodeName } = endpoint;
  const out = withoutKeys(endpoint, ['deprecatedTopology', 'zone', 'topology']);
  if (isUnset(deprecatedTopology) && isUnset(zone) && isUnset(nodeName)) return out;
  const topology = new Map(entriesOf(deprecatedTopology));
  if (!isUnset(zone)) topology.set(ZONE_LABEL, zone);
  const hostname = topology.get(HOSTNAME_LABEL);
  if (!isUnset(nodeName) && (hostname === undefined || hostname === ''))
    topology.set(HOSTNAME_LABEL, nodeName);
  // An empty map is left out when the typed object is written again.
  if (topology.size > 0) out['topology'] = mapOf(topology);
  return out;
}

function convertEndpoints(object: CelObject, convert: (endpoint: CelObject) => CelObject): CelObject {
  mapObjects(object, 'endpoints', convert);
  return object;
}

/**
 * EndpointSlices between discovery.k8s.io v1beta1 and v1.
 *
 * @example
 * ```ts
 * ENDPOINT_SLICE_CONVERSION.toHub(slice, { group: 'discovery.k8s.io', version: 'v1beta1' });
 * // endpoints[0].topology { 'topology.kubernetes.io/zone': 'a' } → endpoints[0].zone 'a'
 * ```
 */
export const ENDPOINT_SLICE_CONVERSION: StorageConversion = {
  resources: ['discovery.k8s.io/endpointslices'],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    return from.version === 'v1beta1' ? convertEndpoints(object, endpointToHub) : object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    return to.version === 'v1beta1' ? convertEndpoints(object, endpointFromHub) : object;
  },
};
