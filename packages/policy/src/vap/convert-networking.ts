// Ingresses: extensions/v1beta1 (served up to 1.21), networking.k8s.io/v1beta1 (up to 1.21) and
// networking.k8s.io/v1 (from 1.19) share one storage. The internal type has v1's fields, so v1 is
// the hub; both v1beta1 versions have the same older fields. Facts from kubernetes/kubernetes
// `pkg/apis/networking/v1beta1/conversion.go` and `pkg/apis/extensions/v1beta1/conversion.go`
// (the same Ingress functions in both).
//
// What differs: v1beta1 calls the default backend `backend`, v1 `defaultBackend`; and a v1beta1
// backend names its Service flat (`serviceName`, `servicePort`, a number or a port name), where v1
// nests it (`service: { name, port: { number } | { name } }`). A backend's `resource` is the same.
// Towards v1, a backend gets `service` when it names a Service or a port (a string port, even an
// empty one, counts: it is a port name); `service.name` is always written (`""` without a name)
// and so is `port`, empty without one. Towards v1beta1, a backend with a `service` gets its name
// when not empty, and its port as the port name when it has one, else as the number, 0 without
// one. So a v1beta1 Ingress converts back to what it was, but for a backend naming a Service and no
// port, which comes back with `servicePort: 0`, as the server writes it.
//
// Not converted here: v1beta1's decoding default of a path's `pathType` (ImplementationSpecific),
// which belongs to decoding, not to conversion. IngressClasses have the same fields in v1beta1 and
// v1: nothing to convert.

import { setOwn } from './cel-values.js';
import { isObject, withoutKeys } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

type ConvertBackend = (backend: CelObject) => CelObject;

/** A v1beta1 backend as v1 writes it. */
function backendToHub(backend: CelObject): CelObject {
  const { serviceName, servicePort } = backend;
  const named = typeof serviceName === 'string' && serviceName !== '';
  const numbered = typeof servicePort === 'bigint' && servicePort !== 0n;
  const out = withoutKeys(backend, ['serviceName', 'servicePort', 'service']);
  if (!named && !numbered && typeof servicePort !== 'string') return out;
  const port: CelObject = {};
  if (typeof servicePort === 'string' && servicePort !== '') port['name'] = servicePort;
  else if (numbered) port['number'] = servicePort;
  return { service: { name: typeof serviceName === 'string' ? serviceName : '', port }, ...out };
}

/** A v1 backend as v1beta1 writes it. */
function backendFromHub(backend: CelObject): CelObject {
  const { service } = backend;
  const out = withoutKeys(backend, ['service', 'serviceName', 'servicePort']);
  if (!isObject(service)) return out;
  const { name } = service;
  const port = isObject(service['port']) ? service['port'] : {};
  const flat: CelObject = {};
  if (typeof name === 'string' && name !== '') flat['serviceName'] = name;
  const portName = port['name'];
  if (typeof portName === 'string' && portName !== '') flat['servicePort'] = portName;
  else flat['servicePort'] = typeof port['number'] === 'bigint' ? port['number'] : 0n;
  return { ...flat, ...out };
}

/** Convert the default backend (moving it from `from` to `to`) and every path's backend, in place. */
function convertBackends(object: CelObject, convert: ConvertBackend, from: string, to: string): void {
  const spec = object['spec'];
  if (!isObject(spec)) return;
  const defaultBackend = spec[from];
  Reflect.deleteProperty(spec, from);
  Reflect.deleteProperty(spec, to);
  if (isObject(defaultBackend)) setOwn(spec, to, convert(defaultBackend));
  const rules = spec['rules'];
  if (!Array.isArray(rules)) return;
  for (const rule of rules) {
    const paths = isObject(rule) && isObject(rule['http']) ? rule['http']['paths'] : undefined;
    if (!Array.isArray(paths)) continue;
    for (const path of paths) {
      if (isObject(path) && isObject(path['backend'])) path['backend'] = convert(path['backend']);
    }
  }
}

const isBeta = (version: GroupVersion): boolean => version.version === 'v1beta1';

/**
 * Ingresses between extensions/v1beta1, networking.k8s.io/v1beta1 and networking.k8s.io/v1.
 *
 * @example
 * ```ts
 * INGRESS_CONVERSION.toHub(ingress, { group: 'extensions', version: 'v1beta1' });
 * // spec.backend { serviceName: 'web', servicePort: 80 } → spec.defaultBackend { service: { name: 'web', port: { number: 80 } } }
 * ```
 */
export const INGRESS_CONVERSION: StorageConversion = {
  resources: ['networking.k8s.io/ingresses', 'extensions/ingresses'],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    if (isBeta(from)) convertBackends(object, backendToHub, 'backend', 'defaultBackend');
    return object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    if (isBeta(to)) convertBackends(object, backendFromHub, 'defaultBackend', 'backend');
    return object;
  },
};
