import type { BuiltinCheck } from './builtin-check.js';
import { type Health, health } from './health.js';
import { readArray } from './object-reader.js';

function assessIngress(object: unknown): Health {
  const ingress = readArray(object, ['status', 'loadBalancer', 'ingress']);
  return health(ingress.length > 0 ? 'Healthy' : 'Progressing');
}

/**
 * Ingress in `networking.k8s.io` (any version): Healthy once the controller published an
 * address in `status.loadBalancer.ingress` (gitops-engine `health_ingress.go`).
 */
export const ingressCheck: BuiltinCheck = {
  group: 'networking.k8s.io',
  kind: 'Ingress',
  versions: 'any',
  assess: assessIngress,
};

/** The same rule for the old `extensions` group. */
export const extensionsIngressCheck: BuiltinCheck = { ...ingressCheck, group: 'extensions' };
