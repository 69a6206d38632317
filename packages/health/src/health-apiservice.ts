import type { BuiltinCheck } from './builtin-check.js';
import { health } from './health.js';
import { findCondition, readConditions } from './object-reader.js';

/** APIService in apiregistration.k8s.io v1 and v1beta1 (gitops-engine `health_apiservice.go`). */
export const apiServiceCheck: BuiltinCheck = {
  group: 'apiregistration.k8s.io',
  kind: 'APIService',
  versions: ['v1', 'v1beta1'],
  assess(object) {
    const available = findCondition(readConditions(object, ['status', 'conditions']), 'Available');
    if (available === undefined) return health('Progressing', 'Waiting to be processed');
    const message = `${available.reason}: ${available.message}`;
    return health(available.status === 'True' ? 'Healthy' : 'Progressing', message);
  },
};
