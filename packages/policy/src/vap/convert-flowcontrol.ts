// PriorityLevelConfigurations of API Priority and Fairness: flowcontrol.apiserver.k8s.io v1alpha1
// (up to 1.20), v1beta1 (1.20–1.25), v1beta2 (1.23–1.28), v1beta3 (1.26–1.31) and v1 (from 1.29).
// The internal type has v1's fields, so v1 is the hub. Facts from kubernetes/kubernetes
// `pkg/apis/flowcontrol/{v1alpha1,v1beta1,v1beta2,v1beta3}/conversion.go` and the defaulting
// functions beside them (`defaults.go` of v1beta3 and v1).
//
// What differs:
// - v1alpha1, v1beta1 and v1beta2 call a limited level's shares `assuredConcurrencyShares`; v1beta3
//   and v1 `nominalConcurrencyShares`.
// - Zero. v1 takes `nominalConcurrencyShares: 0` as zero shares (only an absent field gets the
//   default, 30). The older versions cannot say zero: their decoding turns 0 into 30. v1beta3 can,
//   with an annotation (`flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares`): with it,
//   decoding keeps 0, and converting to the internal type drops the annotation; converting a level
//   with zero shares to v1beta3 adds it (value `""`). As the annotation is gone once the object is
//   in the hub's shape, toHub also does what decoding did with an explicit 0 in those versions
//   (30), or a v1 policy would read zero shares where the server reads 30. An absent field stays
//   absent: the decoding defaults of absent fields are not modelled for these kinds.
// FlowSchemas have the same fields in every version: nothing to convert.

import { dropAnnotations, hasAnnotation, objectAt, renameField, writeAnnotation } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

const ZERO_ANNOTATION = 'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares';
const DEFAULT_SHARES = 30n;
const NOMINAL = 'nominalConcurrencyShares';
const ASSURED = 'assuredConcurrencyShares';

const namesAssured = (version: GroupVersion): boolean =>
  version.version === 'v1alpha1' || version.version === 'v1beta1' || version.version === 'v1beta2';

function limitedOf(object: CelObject): CelObject | undefined {
  return objectAt(objectAt(object, 'spec'), 'limited');
}

/**
 * PriorityLevelConfigurations between all versions of flowcontrol.apiserver.k8s.io.
 *
 * @example
 * ```ts
 * PRIORITY_LEVEL_CONVERSION.fromHub(level, { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta2' });
 * // spec.limited.nominalConcurrencyShares 20 → spec.limited.assuredConcurrencyShares 20
 * ```
 */
export const PRIORITY_LEVEL_CONVERSION: StorageConversion = {
  resources: ['flowcontrol.apiserver.k8s.io/prioritylevelconfigurations'],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    const limited = limitedOf(object);
    let zeroMeansDefault = namesAssured(from);
    if (from.version === 'v1beta3') {
      zeroMeansDefault = !hasAnnotation(object, ZERO_ANNOTATION);
      dropAnnotations(object, [ZERO_ANNOTATION]);
    }
    if (limited && namesAssured(from)) renameField(limited, ASSURED, NOMINAL);
    if (limited && zeroMeansDefault && limited[NOMINAL] === 0n) limited[NOMINAL] = DEFAULT_SHARES;
    return object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    const limited = limitedOf(object);
    if (limited && namesAssured(to)) renameField(limited, NOMINAL, ASSURED);
    if (
      limited &&
      to.version === 'v1beta3' &&
      limited[NOMINAL] === 0n &&
      !hasAnnotation(object, ZERO_ANNOTATION)
    )
      writeAnnotation(object, ZERO_ANNOTATION, '');
    return object;
  },
};
