import type { BuiltinCheck } from './builtin-check.js';
import { health } from './health.js';
import { readArray, readString } from './object-reader.js';

/** v1 Service: only a LoadBalancer waits, for its address (gitops-engine `health_service.go`). */
export const serviceCheck: BuiltinCheck = {
  group: '',
  kind: 'Service',
  versions: ['v1'],
  assess(object) {
    if (readString(object, ['spec', 'type']) !== 'LoadBalancer') return health('Healthy');
    const ingress = readArray(object, ['status', 'loadBalancer', 'ingress']);
    return health(ingress.length > 0 ? 'Healthy' : 'Progressing');
  },
};
