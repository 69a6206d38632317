import { type Health, health } from './health.js';
import { isRecord, type JsonRecord } from './object-reader.js';

/**
 * Ready=False reasons that mean "not yet" rather than "failed": Flux and other kstatus-style
 * controllers use them while they work or wait for a dependency.
 */
const STILL_PROGRESSING_REASONS = new Set([
  'Progressing',
  'ProgressingWithRetry',
  'Reconciling',
  'DependencyNotReady',
]);

interface LooseCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Conditions of an unknown kind, leniently: entries or fields of the wrong type are skipped. */
function looseConditions(status: JsonRecord): readonly LooseCondition[] {
  const list = Object.hasOwn(status, 'conditions') ? status['conditions'] : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((c) => ({
    type: text(c['type']),
    status: text(c['status']),
    reason: text(c['reason']),
    message: text(c['message']),
  }));
}

function isInteger(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

function own(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isTrue(conditions: readonly LooseCondition[], type: string): LooseCondition | undefined {
  return conditions.find((c) => c.type === type && c.status === 'True');
}

/**
 * The kstatus-like rule for kinds without a built-in check (mostly custom resources), in this
 * order:
 *
 * 1. `metadata.generation` > `status.observedGeneration` (both integers) → Progressing;
 * 2. a `Stalled=True` condition → Degraded;
 * 3. a `Reconciling=True` condition → Progressing;
 * 4. the `Ready` condition, or else `Available`: True → Healthy; False → Degraded, or Progressing
 *    when its reason is one of {@link STILL_PROGRESSING_REASONS}; Unknown → Progressing.
 *
 * `null` when there is no `status` object or none of these apply: the kind then has no health,
 * as gitops-engine says for every kind it does not know. Data it cannot read is ignored rather
 * than reported, since the rule does not know the kind's schema; it never returns Unknown.
 */
export function assessGeneric(object: JsonRecord): Health | null {
  const status = own(object, 'status');
  if (!isRecord(status)) return null;
  const metadata = own(object, 'metadata');
  const generation = isRecord(metadata) ? own(metadata, 'generation') : undefined;
  const observed = own(status, 'observedGeneration');
  if (isInteger(generation) && isInteger(observed) && generation > observed) {
    return health(
      'Progressing',
      `Waiting for generation ${generation} to be observed (observed ${observed})`,
    );
  }
  const conditions = looseConditions(status);
  const stalled = isTrue(conditions, 'Stalled');
  if (stalled) return health('Degraded', stalled.message || stalled.reason);
  const reconciling = isTrue(conditions, 'Reconciling');
  if (reconciling) return health('Progressing', reconciling.message || reconciling.reason);
  const ready = conditions.find((c) => c.type === 'Ready') ?? conditions.find((c) => c.type === 'Available');
  if (ready === undefined) return null;
  const message = ready.message || ready.reason;
  switch (ready.status) {
    case 'True':
      return health('Healthy', ready.message);
    case 'False':
      return health(STILL_PROGRESSING_REASONS.has(ready.reason) ? 'Progressing' : 'Degraded', message);
    case 'Unknown':
      return health('Progressing', message);
    default:
      return null;
  }
}
