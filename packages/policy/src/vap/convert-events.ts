// Events: core/v1 Events and events.k8s.io Events share one storage (the API server's cohabitating
// resources), and a policy naming one sees an Event written in the other converted. The internal
// type has core/v1's fields, so core/v1 is the hub. events.k8s.io v1beta1 and v1 have the same
// fields: the new names for the object the Event is about, its text, the reporting controller, and
// the fields core/v1 had before the series model, kept under a `deprecated` prefix. Every other
// field (reason, type, action, related, eventTime, series, reportingInstance) has the same name
// and shape in all three. Facts from kubernetes/kubernetes `pkg/apis/events/v1/conversion.go`,
// `pkg/apis/events/v1beta1/conversion.go` and their generated conversions (core/v1 writes the
// internal `ReportingController` as `reportingComponent`).
//
// Every field has a place in both shapes, so an Event converts back to what it was.

import { renameField } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

/** core/v1 (hub) field → the events.k8s.io field holding the same value. */
const RENAMED: readonly (readonly [core: string, events: string])[] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

const EVENTS_GROUP = 'events.k8s.io';

/**
 * Events between core/v1 and events.k8s.io v1beta1 and v1.
 *
 * @example
 * ```ts
 * EVENT_CONVERSION.fromHub({ message: 'Pulled', involvedObject: pod }, { group: 'events.k8s.io', version: 'v1' });
 * // { note: 'Pulled', regarding: pod }
 * ```
 */
export const EVENT_CONVERSION: StorageConversion = {
  resources: ['/events', `${EVENTS_GROUP}/events`],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    if (from.group === EVENTS_GROUP) for (const [core, events] of RENAMED) renameField(object, events, core);
    return object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    if (to.group === EVENTS_GROUP) for (const [core, events] of RENAMED) renameField(object, core, events);
    return object;
  },
};
