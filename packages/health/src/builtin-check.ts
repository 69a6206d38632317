import type { Health } from './health.js';
import type { JsonRecord } from './object-reader.js';

/**
 * A built-in rule for one group and kind. `versions` lists the apiVersions the rule understands
 * (gitops-engine converts to a typed object per version and fails on any other); `'any'` for rules
 * that read the object without a typed conversion (Ingress, Argo Workflow, CronJob).
 */
export interface BuiltinCheck {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly string[] | 'any';
  /** Throws `MalformedObjectError` for fields of the wrong type; `assessHealth` catches it. */
  readonly assess: (object: JsonRecord, version: string) => Health;
}
