import { pointerToken } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import {
  containerList,
  finding,
  joinQuote,
  type PodView,
  pluralize,
  rawName,
  show,
  sortedUnique,
} from '../pod-view.js';
import { readSeccomp, seccompOutcome } from './seccomp.js';

const REASON = 'seccompProfile';
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validAnnotation(value: unknown): boolean {
  return (
    value === 'runtime/default' ||
    value === 'docker/default' ||
    (typeof value === 'string' && value.startsWith('localhost/'))
  );
}

/** Before v1.19 seccomp was set by annotations: the pod's, and one per container name. */
function annotationsV1Dot0(pod: PodView): Violation | undefined {
  const keys = [
    POD_ANNOTATION,
    ...pod.containers.map((c) => `${CONTAINER_ANNOTATION_PREFIX}${rawName(c)}`),
  ].filter((key, i, all) => all.indexOf(key) === i && Object.hasOwn(pod.annotations, key));
  const bad = keys.filter((key) => !validAnnotation(pod.annotations[key]));
  if (bad.length === 0) return undefined;
  const written = (key: string) => `${key}="${show(pod.annotations[key] ?? '')}"`;
  return {
    reason: REASON,
    detail: `forbidden ${pluralize('annotation', 'annotations', bad.length)} ${sortedUnique(bad.map(written)).join(', ')}`,
    findings: bad.map((key) =>
      finding(REASON, `forbidden annotation ${written(key)}; use runtime/default or localhost/<profile>`, {
        path: `${pod.annotationsPointer}/${pointerToken(key)}`,
      }),
    ),
  };
}

/** From v1.19 the `seccompProfile` fields; only a forbidden type fails, an unset profile passes. */
function fieldsV1Dot19(pod: PodView): Violation | undefined {
  if (seccompOutcome(pod) !== 'forbidden') return undefined;
  const { bad } = readSeccomp(pod);
  if (bad.length === 0) return undefined;
  const containers = bad.flatMap((b) => (b.container === undefined ? [] : [b.container]));
  const setters = [
    ...(bad.some((b) => b.who === 'pod') ? ['pod'] : []),
    ...(containers.length > 0 ? [containerList(containers)] : []),
  ];
  return {
    reason: REASON,
    detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(bad.map((b) => b.type)))}`,
    findings: bad.map((b) =>
      finding(REASON, `${b.who} must not set securityContext.seccompProfile.type to "${b.type}"`, b.at),
    ),
  };
}

const FIELD_EXAMPLES = [
  {
    title: "the runtime's default profile",
    yaml: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        securityContext:
          seccompProfile:
            type: RuntimeDefault
        containers:
          - name: app
            image: nginx:1.27
    `,
    reports: [],
  },
  {
    title: 'seccomp turned off for one container',
    yaml: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
          - name: app
            image: nginx:1.27
            securityContext:
              seccompProfile:
                type: Unconfined
    `,
    reports: ['/spec/containers/0/securityContext/seccompProfile/type'],
  },
];

const ANNOTATION_EXAMPLES = [
  {
    title: "the runtime's default profile by annotation",
    yaml: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        annotations:
          seccomp.security.alpha.kubernetes.io/pod: runtime/default
      spec:
        containers:
          - name: app
            image: nginx:1.27
    `,
    reports: [],
  },
  {
    title: 'seccomp turned off for one container by annotation',
    yaml: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        annotations:
          container.seccomp.security.alpha.kubernetes.io/app: unconfined
      spec:
        containers:
          - name: app
            image: nginx:1.27
    `,
    reports: ['/metadata/annotations/container.seccomp.security.alpha.kubernetes.io~1app'],
  },
];

/**
 * Seccomp turned off. Policy v1.0–v1.18 read the alpha annotations; v1.19 on read the
 * `seccompProfile` fields (and ignore the annotations). At the restricted level
 * `seccompProfile_restricted` replaces it from v1.19.
 */
export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  variants: [
    { since: 0, evaluate: annotationsV1Dot0, examples: ANNOTATION_EXAMPLES },
    { since: 19, evaluate: fieldsV1Dot19 },
  ],
  docs: {
    summary: 'No pod or container turns seccomp off (Unconfined).',
    details:
      "Seccomp filters the system calls a container may make; the runtime's default profile blocks the " +
      'rarely needed, often exploited ones. Baseline forbids turning it off: ' +
      '`securityContext.seccompProfile.type` may be unset, `RuntimeDefault` or `Localhost`, on the pod and ' +
      'on every container. Policy versions before v1.19 read the older annotations instead ' +
      '(`seccomp.security.alpha.kubernetes.io/pod` and `container.seccomp.security.alpha.kubernetes.io/<container>`, ' +
      'allowed values `runtime/default`, `docker/default` and `localhost/<profile>`). At the restricted level ' +
      '`pss/seccompProfile_restricted` replaces this check from v1.19 and requires a profile.',
    examples: FIELD_EXAMPLES,
  },
};
