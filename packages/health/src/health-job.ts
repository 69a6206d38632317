import type { BuiltinCheck } from './builtin-check.js';
import { health } from './health.js';
import { readConditions } from './object-reader.js';

/**
 * batch/v1 Job from its conditions (gitops-engine `health_job.go`). A condition counts by its type
 * whatever its status, as upstream does; only `Suspended` looks at `status`. A suspended Job is
 * reported with no message: upstream returns the (empty) failure message there, and we keep it.
 */
export const jobCheck: BuiltinCheck = {
  group: 'batch',
  kind: 'Job',
  versions: ['v1'],
  assess(object) {
    let failed = false;
    let complete = false;
    let suspended = false;
    let failMessage = '';
    let message = '';
    for (const condition of readConditions(object, ['status', 'conditions'])) {
      switch (condition.type) {
        case 'Failed':
          failed = true;
          complete = true;
          failMessage = condition.message;
          break;
        case 'Complete':
          complete = true;
          message = condition.message;
          break;
        case 'Suspended':
          complete = true;
          message = condition.message;
          if (condition.status === 'True') suspended = true;
          break;
      }
    }
    if (!complete) return health('Progressing', message);
    if (failed) return health('Degraded', failMessage);
    if (suspended) return health('Suspended', failMessage);
    return health('Healthy', message);
  },
};
