import type { BuiltinCheck } from './builtin-check.js';
import { health } from './health.js';
import { MalformedObjectError, readArray, readBoolean, readRecord } from './object-reader.js';

/**
 * A time field of `status` in milliseconds, `undefined` when absent. Strings as the API server
 * writes them (RFC 3339); `Date` too, for YAML loaders that build dates from plain timestamps.
 */
function readTime(status: object, field: string): number | undefined {
  const value = Object.hasOwn(status, field) ? (status as Record<string, unknown>)[field] : undefined;
  if (value === undefined || value === null) return undefined;
  const time =
    typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new MalformedObjectError(`status.${field}`, 'an RFC 3339 time', value);
  return time;
}

/**
 * batch CronJob (any version). gitops-engine has no CronJob check; Argo CD ships one in Lua
 * (`resource_customizations/batch/CronJob/health.lua`), and this follows its 3.2 version, except
 * that `spec.suspend: true` is `Suspended`, where Argo CD reports `Healthy` for now only to keep
 * suspended CronJobs from making whole applications Suspended (argo-cd#24428). See docs/health.md.
 */
export const cronJobCheck: BuiltinCheck = {
  group: 'batch',
  kind: 'CronJob',
  versions: 'any',
  assess(object) {
    if (readBoolean(object, ['spec', 'suspend']) === true) return health('Suspended', 'CronJob is Suspended');
    const status = readRecord(object, ['status']);
    if (status === undefined) return health('Progressing', 'Waiting for CronJob');
    const lastSchedule = readTime(status, 'lastScheduleTime');
    if (lastSchedule === undefined) return health('Healthy', 'CronJob has not been scheduled yet');
    const lastSuccess = readTime(status, 'lastSuccessfulTime');
    // Without a success yet, the first run may still be going or may have failed: the status
    // cannot tell which, so this stays Healthy as Argo CD does.
    if (lastSuccess === undefined) {
      return health('Healthy', 'The CronJob never completed successfully. It may not be healthy');
    }
    // A running Job always makes the last schedule newer than the last success (argo-cd#24429).
    if (readArray(status, ['active'], 'status').length > 0) {
      return health('Healthy', 'The job is running. Its last execution may not have been successful');
    }
    if (lastSuccess < lastSchedule) {
      return health('Degraded', 'CronJob has not completed its last execution successfully');
    }
    return health('Healthy', 'CronJob has completed its last execution successfully');
  },
};
