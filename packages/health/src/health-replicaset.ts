import type { BuiltinCheck } from './builtin-check.js';
import { health, rolloutNotObserved } from './health.js';
import { findCondition, readConditions, readInteger } from './object-reader.js';

/** apps/v1 ReplicaSet (gitops-engine `health_replicaset.go`). */
export const replicaSetCheck: BuiltinCheck = {
  group: 'apps',
  kind: 'ReplicaSet',
  versions: ['v1'],
  assess(object) {
    const unobserved = rolloutNotObserved(object, 'replica set');
    if (unobserved) return unobserved;
    const failure = findCondition(readConditions(object, ['status', 'conditions']), 'ReplicaFailure');
    if (failure?.status === 'True') return health('Degraded', failure.message);
    const desired = readInteger(object, ['spec', 'replicas']);
    const available = readInteger(object, ['status', 'availableReplicas']) ?? 0;
    if (desired !== undefined && available < desired) {
      return health(
        'Progressing',
        `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`,
      );
    }
    return health('Healthy');
  },
};
