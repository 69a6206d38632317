import { type ContainerRef, pointerToken } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  joinQuote,
  objectAt,
  type PodView,
  pluralize,
  podSecurityContext,
  pointAt,
  securityContextOf,
  show,
  sortedUnique,
} from '../pod-view.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Annotation values that keep a profile: empty (the default), `runtime/default`, `localhost/<name>`. */
function allowedAnnotation(value: unknown): boolean {
  if (value === null || value === '') return true;
  return typeof value === 'string' && (value === 'runtime/default' || value.startsWith('localhost/'));
}

/** Whether a profile is written with a type other than RuntimeDefault or Localhost. */
function forbiddenProfile(securityContext: Record<string, unknown> | undefined): boolean {
  const profile = objectAt(securityContext, 'appArmorProfile');
  return profile !== undefined && !ALLOWED_TYPES.has(profile['type'] as string);
}

/**
 * Whether the pod may turn AppArmor off anywhere: the test alone, allocating nothing, so the pods
 * that pass (most) build no lists. It may say yes for more annotation keys than the check reads
 * (`for…in` also sees inherited ones); the check then finds nothing, as it would have.
 */
function mayDisableAppArmor(pod: PodView): boolean {
  if (forbiddenProfile(podSecurityContext(pod))) return true;
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    if (forbiddenProfile(securityContextOf(containers[i] as ContainerRef))) return true;
  }
  for (const key in pod.annotations) {
    if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(pod.annotations[key])) return true;
  }
  return false;
}

function reasonFor(count: number): string {
  return pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', count);
}

/**
 * AppArmor turned off: `appArmorProfile.type` of the pod and of every container, and the older
 * `container.apparmor.security.beta.kubernetes.io/<container>` annotations. Upstream checks both
 * in a single variant, at every policy version.
 */
export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        if (!mayDisableAppArmor(pod)) return undefined;
        const setters: string[] = [];
        const types: string[] = [];
        // Each finding waits for the reason, whose number depends on every bad value.
        const pending: { detail: string; at: Pick<PodSecurityFinding, 'path' | 'atKey'> }[] = [];
        const profileOf = (holder: Record<string, unknown> | undefined) =>
          objectAt(holder, 'appArmorProfile');

        const podProfile = profileOf(podSecurityContext(pod));
        if (podProfile && !ALLOWED_TYPES.has(podProfile['type'] as string)) {
          const type = show(podProfile['type'] ?? '');
          setters.push('pod');
          types.push(type);
          pending.push({
            detail: `pod must not set securityContext.appArmorProfile.type to "${type}"`,
            at: pointAt(pod.specPointer, pod.spec, ['securityContext', 'appArmorProfile', 'type'], true),
          });
        }
        const bad: string[] = [];
        for (const c of pod.containers) {
          const profile = profileOf(securityContextOf(c));
          if (!profile || ALLOWED_TYPES.has(profile['type'] as string)) continue;
          const type = show(profile['type'] ?? '');
          bad.push(c.name);
          types.push(type);
          pending.push({
            detail: `container "${c.name}" must not set securityContext.appArmorProfile.type to "${type}"`,
            at: pointAt(c.pointer, c.container, ['securityContext', 'appArmorProfile', 'type']),
          });
        }
        if (bad.length > 0) setters.push(containerList(bad));

        const annotations = Object.keys(pod.annotations)
          .filter((key) => key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(pod.annotations[key]))
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        for (const key of annotations) {
          pending.push({
            detail: `annotation ${key} must not be "${show(pod.annotations[key])}"; use runtime/default or localhost/<profile>`,
            at: { path: `${pod.annotationsPointer}/${pointerToken(key)}` },
          });
        }
        if (annotations.length > 0) setters.push(pluralize('annotation', 'annotations', annotations.length));
        if (setters.length === 0) return undefined;

        const values = [
          ...sortedUnique(types),
          ...annotations.map((key) => `${key}="${show(pod.annotations[key])}"`),
        ];
        const reason = reasonFor(values.length);
        return {
          reason,
          detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
          findings: pending.map((p) => finding(reason, p.detail, p.at)),
        };
      },
    },
  ],
  docs: {
    summary: 'No pod or container runs without AppArmor (Unconfined).',
    details:
      "AppArmor limits what a container's processes may touch on the node. Setting " +
      '`securityContext.appArmorProfile.type` to `Unconfined` (on the pod or a container), or the older ' +
      '`container.apparmor.security.beta.kubernetes.io/<container>` annotation to `unconfined`, turns that ' +
      'off. Leave the profile unset, or use `RuntimeDefault` or `Localhost` (annotations: ' +
      '`runtime/default` or `localhost/<profile>`). Upstream checks the field and the annotation at every ' +
      'policy version.',
    examples: [
      {
        title: "the runtime's default profile",
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              appArmorProfile:
                type: RuntimeDefault
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'AppArmor turned off by the field and by the annotation',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            annotations:
              container.apparmor.security.beta.kubernetes.io/sidecar: unconfined
          spec:
            containers:
              - name: app
                image: nginx:1.27
                securityContext:
                  appArmorProfile:
                    type: Unconfined
              - name: sidecar
                image: busybox:1.36
        `,
        reports: [
          '/spec/containers/0/securityContext/appArmorProfile/type',
          '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1sidecar',
        ],
      },
    ],
  },
};
