import type { BuiltinCheck } from './builtin-check.js';
import { generationsOf, health } from './health.js';
import { readInteger, readRecord, readString } from './object-reader.js';

/**
 * apps/v1 StatefulSet, after kubectl's `rollout status` (gitops-engine `health_statefulset.go`).
 * A RollingUpdate strategy with a `rollingUpdate` block (what the API server defaults) ends in the
 * partition test, so the revision comparison only runs when that block is absent.
 */
export const statefulSetCheck: BuiltinCheck = {
  group: 'apps',
  kind: 'StatefulSet',
  versions: ['v1'],
  assess(object) {
    const { generation, observed } = generationsOf(object);
    if (observed === 0 || generation > observed) {
      return health('Progressing', 'Waiting for statefulset spec update to be observed...');
    }
    const desired = readInteger(object, ['spec', 'replicas']);
    const ready = readInteger(object, ['status', 'readyReplicas']) ?? 0;
    const updated = readInteger(object, ['status', 'updatedReplicas']) ?? 0;
    if (desired !== undefined && ready < desired) {
      return health('Progressing', `Waiting for ${desired - ready} pods to be ready...`);
    }
    const strategy = readString(object, ['spec', 'updateStrategy', 'type']) ?? '';
    const rollingUpdate = readRecord(object, ['spec', 'updateStrategy', 'rollingUpdate']);
    if (strategy === 'RollingUpdate' && rollingUpdate !== undefined) {
      const partition = readInteger(rollingUpdate, ['partition'], 'spec.updateStrategy.rollingUpdate');
      if (desired !== undefined && partition !== undefined && updated < desired - partition) {
        return health(
          'Progressing',
          `Waiting for partitioned roll out to finish: ${updated} out of ${desired - partition} new pods have been updated...`,
        );
      }
      return health('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
    }
    if (strategy === 'OnDelete') {
      return health('Healthy', `statefulset has ${ready} ready pods (${updated} updated)`);
    }
    const updateRevision = readString(object, ['status', 'updateRevision']) ?? '';
    const currentRevision = readString(object, ['status', 'currentRevision']) ?? '';
    if (updateRevision !== currentRevision) {
      return health(
        'Progressing',
        `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
      );
    }
    const current = readInteger(object, ['status', 'currentReplicas']) ?? 0;
    return health(
      'Healthy',
      `statefulset rolling update complete ${current} pods at revision ${currentRevision}...`,
    );
  },
};
