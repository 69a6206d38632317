import type { BuiltinCheck } from './builtin-check.js';
import { health } from './health.js';
import { readString } from './object-reader.js';

/**
 * Argo Workflow (argoproj.io, any version) by `status.phase`, with `status.message`
 * (gitops-engine `health_argo.go`). No phase yet means the controller has not picked it up.
 */
export const workflowCheck: BuiltinCheck = {
  group: 'argoproj.io',
  kind: 'Workflow',
  versions: 'any',
  assess(object) {
    const message = readString(object, ['status', 'message']) ?? '';
    switch (readString(object, ['status', 'phase']) ?? '') {
      case '':
      case 'Pending':
      case 'Running':
        return health('Progressing', message);
      case 'Succeeded':
        return health('Healthy', message);
      case 'Failed':
      case 'Error':
        return health('Degraded', message);
      default:
        return health('Unknown', message);
    }
  },
};
