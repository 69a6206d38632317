import type { BuiltinCheck } from './builtin-check.js';
import { health, rolloutNotObserved } from './health.js';
import { objectName, readInteger, readString } from './object-reader.js';

/**
 * apps/v1 DaemonSet, after kubectl's `rollout status` (gitops-engine `health_daemonset.go`). An
 * OnDelete DaemonSet is Healthy once its generation is observed: its pods update only when
 * someone deletes them.
 */
export const daemonSetCheck: BuiltinCheck = {
  group: 'apps',
  kind: 'DaemonSet',
  versions: ['v1'],
  assess(object) {
    const unobserved = rolloutNotObserved(object, 'daemon set');
    if (unobserved) return unobserved;
    const desired = readInteger(object, ['status', 'desiredNumberScheduled']) ?? 0;
    const updated = readInteger(object, ['status', 'updatedNumberScheduled']) ?? 0;
    const available = readInteger(object, ['status', 'numberAvailable']) ?? 0;
    if (readString(object, ['spec', 'updateStrategy', 'type']) === 'OnDelete') {
      return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
    }
    const name = JSON.stringify(objectName(object));
    if (updated < desired) {
      return health(
        'Progressing',
        `Waiting for daemon set ${name} rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
      );
    }
    if (available < desired) {
      return health(
        'Progressing',
        `Waiting for daemon set ${name} rollout to finish: ${available} of ${desired} updated pods are available...`,
      );
    }
    return health('Healthy');
  },
};
