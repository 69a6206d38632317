import type { BuiltinCheck } from './builtin-check.js';
import { health } from './health.js';
import { readString } from './object-reader.js';

/** v1 PersistentVolumeClaim by phase (gitops-engine `health_pvc.go`). */
export const persistentVolumeClaimCheck: BuiltinCheck = {
  group: '',
  kind: 'PersistentVolumeClaim',
  versions: ['v1'],
  assess(object) {
    switch (readString(object, ['status', 'phase'])) {
      case 'Bound':
        return health('Healthy');
      case 'Pending':
        return health('Progressing');
      case 'Lost':
        return health('Degraded');
      default:
        return health('Unknown');
    }
  },
};
