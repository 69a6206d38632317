import type { BuiltinCheck } from './builtin-check.js';
import { health, rolloutNotObserved } from './health.js';
import { findCondition, objectName, readBoolean, readConditions, readInteger } from './object-reader.js';

/**
 * apps/v1 Deployment, after kubectl's `rollout status` (gitops-engine `health_deployment.go`).
 * A missing `spec.replicas` skips the updated-replicas test, as Go's nil pointer does.
 */
export const deploymentCheck: BuiltinCheck = {
  group: 'apps',
  kind: 'Deployment',
  versions: ['v1'],
  assess(object) {
    if (readBoolean(object, ['spec', 'paused']) === true) return health('Suspended', 'Deployment is paused');
    const unobserved = rolloutNotObserved(object, 'deployment');
    if (unobserved) return unobserved;
    const progressing = findCondition(readConditions(object, ['status', 'conditions']), 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return health(
        'Degraded',
        `Deployment ${JSON.stringify(objectName(object))} exceeded its progress deadline`,
      );
    }
    const desired = readInteger(object, ['spec', 'replicas']);
    const replicas = readInteger(object, ['status', 'replicas']) ?? 0;
    const updated = readInteger(object, ['status', 'updatedReplicas']) ?? 0;
    const available = readInteger(object, ['status', 'availableReplicas']) ?? 0;
    if (desired !== undefined && updated < desired) {
      return health(
        'Progressing',
        `Waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
      );
    }
    if (replicas > updated) {
      return health(
        'Progressing',
        `Waiting for rollout to finish: ${replicas - updated} old replicas are pending termination...`,
      );
    }
    if (available < updated) {
      return health(
        'Progressing',
        `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
      );
    }
    return health('Healthy');
  },
};
