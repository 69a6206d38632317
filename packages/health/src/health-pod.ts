import type { BuiltinCheck } from './builtin-check.js';
import { type Health, health } from './health.js';
import {
  findCondition,
  type JsonRecord,
  readConditions,
  readInteger,
  readRecord,
  readRecords,
  readString,
} from './object-reader.js';

/**
 * With this annotation a Running Pod whose restartPolicy is OnFailure or Never is judged like one
 * with Always (gitops-engine `AnnotationIgnoreRestartPolicy`): for operator-managed Pods that are
 * not hooks.
 */
const IGNORE_RESTART_POLICY = 'argocd.argoproj.io/ignore-restart-policy';

/** A waiting reason that means the container is failing, not just starting. */
function isFailingReason(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

/** The failure message of one container status of a Failed Pod, `''` when it has none. */
function failMessage(container: JsonRecord, where: string): string {
  const terminated = readRecord(container, ['state', 'terminated'], where);
  if (terminated === undefined) return '';
  const at = `${where}.state.terminated`;
  const message = readString(terminated, ['message'], at) ?? '';
  if (message !== '') return message;
  if (readString(terminated, ['reason'], at) === 'OOMKilled') return 'OOMKilled';
  const exitCode = readInteger(terminated, ['exitCode'], at) ?? 0;
  if (exitCode !== 0) {
    const name = readString(container, ['name'], where) ?? '';
    return `container ${JSON.stringify(name)} failed with exit code ${exitCode}`;
  }
  return '';
}

/** Running Pod judged as a long-lived one: Ready, or Degraded after a restart, or on its way. */
function runningHealth(object: JsonRecord, containers: readonly JsonRecord[], message: string): Health {
  const ready = findCondition(readConditions(object, ['status', 'conditions']), 'Ready');
  if (ready?.status === 'True') return health('Healthy', message);
  const restarted = containers.some(
    (c, i) => readRecord(c, ['lastState', 'terminated'], `status.containerStatuses[${i}]`) !== undefined,
  );
  return health(restarted ? 'Degraded' : 'Progressing', message);
}

/**
 * v1 Pod (gitops-engine `health_pod.go`). The waiting-reason test only applies with restartPolicy
 * Always: Pods with OnFailure or Never are usually sync hooks, and calling an ImagePullBackOff
 * hook Degraded would fail the sync before the image shows up.
 */
export const podCheck: BuiltinCheck = {
  group: '',
  kind: 'Pod',
  versions: ['v1'],
  assess(object) {
    const restartPolicy = readString(object, ['spec', 'restartPolicy']) ?? '';
    const containers = readRecords(object, ['status', 'containerStatuses']);
    if (restartPolicy === 'Always') {
      const messages: string[] = [];
      containers.forEach((c, i) => {
        const waiting = readRecord(c, ['state', 'waiting'], `status.containerStatuses[${i}]`);
        if (waiting === undefined) return;
        const at = `status.containerStatuses[${i}].state.waiting`;
        if (isFailingReason(readString(waiting, ['reason'], at) ?? '')) {
          messages.push(readString(waiting, ['message'], at) ?? '');
        }
      });
      if (messages.length > 0) return health('Degraded', messages.join(', '));
    }
    const message = readString(object, ['status', 'message']) ?? '';
    switch (readString(object, ['status', 'phase']) ?? '') {
      case 'Pending':
        return health('Progressing', message);
      case 'Succeeded':
        return health('Healthy', message);
      case 'Failed': {
        if (message !== '') return health('Degraded', message);
        const all = [
          ...readRecords(object, ['status', 'initContainerStatuses']).map(
            (c, i) => [c, `status.initContainerStatuses[${i}]`] as const,
          ),
          ...containers.map((c, i) => [c, `status.containerStatuses[${i}]`] as const),
        ];
        for (const [container, where] of all) {
          const failure = failMessage(container, where);
          if (failure !== '') return health('Degraded', failure);
        }
        return health('Degraded');
      }
      case 'Running': {
        const annotations = readRecord(object, ['metadata', 'annotations']);
        if (annotations !== undefined && Object.hasOwn(annotations, IGNORE_RESTART_POLICY)) {
          return runningHealth(object, containers, message);
        }
        if (restartPolicy === 'Always') return runningHealth(object, containers, message);
        // Finite Pods are usually hooks: Progressing until they finish, never Healthy while running.
        if (restartPolicy === 'OnFailure' || restartPolicy === 'Never') return health('Progressing', message);
        return health('Unknown', message);
      }
      default:
        return health('Unknown', message);
    }
  },
};
