// PodDisruptionBudgets: policy/v1beta1 (up to 1.24) and policy/v1 (from 1.21). Their fields are
// the same; what differs is what an empty selector means: in v1beta1 `selector: {}` selects no pod,
// in v1 every pod of the namespace. The internal type means what v1 means, so v1 is the hub, and
// the conversions rewrite the selector so that it keeps selecting the same pods, with a label no
// pod carries (`pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match`):
// - v1beta1 `{}` (none) becomes `{ matchExpressions: [{ key: <label>, operator: Exists }] }` and
//   back;
// - v1 `{}` (all) becomes v1beta1 `{ matchExpressions: [{ key: <label>, operator: DoesNotExist }] }`
//   and back;
// - in any other selector, requirements on that label are removed (from either version), so that
//   it never mixes with a user's own requirements.
// "Empty" is as Go's semantic equality sees the typed selector: absent and empty `matchLabels` and
// `matchExpressions` are the same, and so are absent and empty `values`. An absent or null selector
// is left alone. Facts from kubernetes/kubernetes `pkg/apis/policy/v1beta1/conversion.go`,
// `pkg/apis/policy/v1/conversion.go` and `pkg/apis/policy/helper.go`.

import { entriesOf, isObject } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

const SELECTOR_LABEL = 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match';

type Operator = 'Exists' | 'DoesNotExist';

const isEmptyList = (value: unknown): boolean =>
  value === undefined || value === null || (Array.isArray(value) && value.length === 0);

const isEmptyMap = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  ((value instanceof Map || isObject(value)) && entriesOf(value).length === 0);

function isEmptySelector(selector: unknown): boolean {
  return (
    isObject(selector) && isEmptyMap(selector['matchLabels']) && isEmptyList(selector['matchExpressions'])
  );
}

/** Whether `selector` is exactly the one requirement `<label> <operator>`. */
function isLabelSelector(selector: unknown, operator: Operator): boolean {
  if (!isObject(selector) || !isEmptyMap(selector['matchLabels'])) return false;
  const expressions = selector['matchExpressions'];
  if (!Array.isArray(expressions) || expressions.length !== 1) return false;
  const [only] = expressions as unknown[];
  return (
    isObject(only) &&
    only['key'] === SELECTOR_LABEL &&
    only['operator'] === operator &&
    isEmptyList(only['values'])
  );
}

const labelSelector = (operator: Operator): CelObject => ({
  matchExpressions: [{ key: SELECTOR_LABEL, operator }],
});

/** `selector` without requirements on the label (in place); an emptied list goes too. */
function stripLabel(selector: unknown): void {
  if (!isObject(selector) || !Array.isArray(selector['matchExpressions'])) return;
  const expressions = selector['matchExpressions'] as unknown[];
  const kept = expressions.filter((e) => !(isObject(e) && e['key'] === SELECTOR_LABEL));
  if (kept.length === expressions.length) return;
  if (kept.length > 0) selector['matchExpressions'] = kept;
  else Reflect.deleteProperty(selector, 'matchExpressions');
}

function specOf(object: CelObject): CelObject | undefined {
  const spec = object['spec'];
  return isObject(spec) ? spec : undefined;
}

/**
 * PodDisruptionBudgets between policy/v1beta1 and policy/v1.
 *
 * @example
 * ```ts
 * PDB_CONVERSION.toHub({ spec: { selector: {} } }, { group: 'policy', version: 'v1beta1' });
 * // spec.selector { matchExpressions: [{ key: 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match', operator: 'Exists' }] }
 * ```
 */
export const PDB_CONVERSION: StorageConversion = {
  resources: ['policy/poddisruptionbudgets'],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    const spec = specOf(object);
    if (!spec) return object;
    const { selector } = spec;
    if (from.version === 'v1beta1') {
      if (isEmptySelector(selector)) spec['selector'] = labelSelector('Exists');
      else if (isLabelSelector(selector, 'DoesNotExist')) spec['selector'] = {};
      else stripLabel(selector);
    } else if (!isEmptySelector(selector) && !isLabelSelector(selector, 'Exists')) {
      // v1 keeps the two forms the hub shares with it.
      stripLabel(selector);
    }
    return object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    const spec = specOf(object);
    if (!spec || to.version !== 'v1beta1') return object;
    const { selector } = spec;
    if (isLabelSelector(selector, 'Exists')) spec['selector'] = {};
    else if (isEmptySelector(selector)) spec['selector'] = labelSelector('DoesNotExist');
    return object;
  },
};
