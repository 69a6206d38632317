import type { Rule } from '../rule.js';
import { type ContainerRef, fieldOf, isObject, POD_KINDS, type PodSpecRef } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { linuxPodOf } from './custom-resources.js';
import { atField, locateField, polaris } from './locate.js';

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** A profile type that confines: a non-empty string other than `Unconfined`. */
function confines(type: unknown): boolean {
  return typeof type === 'string' && type !== '' && type !== 'Unconfined';
}

function hasSeccomp(pod: PodSpecRef, c: ContainerRef): boolean {
  const own = fieldOf(securitySetting(c.container, 'seccompProfile'), 'type');
  // The container's profile wins; without one it inherits the pod's.
  if (confines(fieldOf(securitySetting(pod.spec, 'seccompProfile'), 'type'))) {
    return own === undefined || own === null || (typeof own === 'string' && own !== 'Unconfined');
  }
  return confines(own);
}

function hasSeLinux(pod: PodSpecRef, c: ContainerRef): boolean {
  return (
    writtenOptions(securitySetting(pod.spec, 'seLinuxOptions')) ||
    writtenOptions(securitySetting(c.container, 'seLinuxOptions'))
  );
}

/** Whether `seLinuxOptions` sets some field to a value (a `for…in` over own keys: no array of values). */
function writtenOptions(options: unknown): boolean {
  if (!isObject(options)) return false;
  for (const key in options) {
    if (!Object.hasOwn(options, key)) continue;
    const v = options[key];
    if (v !== null && v !== '') return true;
  }
  return false;
}

function hasAppArmor(pod: PodSpecRef, c: ContainerRef): boolean {
  const annotations = fieldOf(pod.metadata, 'annotations');
  // The annotation's key is built only when there are annotations to look in.
  const annotation = isObject(annotations)
    ? fieldOf(annotations, `${APPARMOR_ANNOTATION}${c.name}`)
    : undefined;
  if (typeof annotation === 'string' && annotation !== '' && annotation !== 'unconfined') return true;
  const own = fieldOf(securitySetting(c.container, 'appArmorProfile'), 'type');
  if (own !== undefined && own !== null) return confines(own);
  return confines(fieldOf(securitySetting(pod.spec, 'appArmorProfile'), 'type'));
}

function dropsCapabilities(c: ContainerRef): boolean {
  const capabilities = securitySetting(c.container, 'capabilities');
  const drop = fieldOf(capabilities, 'drop');
  if (!Array.isArray(drop) || drop.length === 0) return false;
  const add = fieldOf(capabilities, 'add');
  if (!Array.isArray(add)) return true;
  for (let i = 0; i < add.length; i++) {
    const cap: unknown = add[i];
    if (typeof cap === 'string' && /^ALL$/i.test(cap)) return false;
  }
  return true;
}

/**
 * `bp/linux-hardening`: each container is confined by seccomp, SELinux, AppArmor or dropped
 * capabilities (Polaris `linuxHardening`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [linuxHardening], kubernetesVersion: '1.35' });
 * ```
 */
export const linuxHardening: Rule = {
  id: 'bp/linux-hardening',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers use seccomp, SELinux, AppArmor or dropped capabilities.',
    details: `Without any Linux hardening a container can make every system call and use every default
capability, so one kernel bug is enough to escape. The simplest fix is
\`securityContext.seccompProfile.type: RuntimeDefault\` on the pod; dropping capabilities, SELinux
options or an AppArmor profile count as well.

Matches Polaris \`linuxHardening\`, which passes a container when any one of these holds: a seccomp
profile other than \`Unconfined\` (the container's, or the pod's when the container sets none), non-empty
\`seLinuxOptions\` (pod or container), an AppArmor annotation
\`container.apparmor.security.beta.kubernetes.io/<container>\`, or a non-empty
\`capabilities.drop\` without \`add: [ALL]\`. Beyond Polaris, the \`appArmorProfile\` field (Kubernetes
1.30+) counts too, and an annotation set to \`unconfined\` does not. The merged catalogue files this
under its \`seccomp\`, \`apparmor\` and \`selinux\` rows; kube-score \`container-seccomp-profile\` and the PSS
checks ask for seccomp alone. Init containers are checked too. Severity: warning (Polaris: warning). Windows pods (\`spec.os.name: windows\`) are not checked: the API server refuses this setting
there.`,
    upstream: ['polaris/linuxHardening', 'kube-score/container-seccomp-profile'],
    examples: [
      {
        title: 'RuntimeDefault seccomp profile on the pod',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'no hardening, and an Unconfined profile',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
    - name: sidecar
      image: envoy:1.31
      securityContext:
        seccompProfile:
          type: Unconfined
`,
        reports: ['/spec/containers/0', '/spec/containers/1/securityContext/seccompProfile/type'],
      },
    ],
  },
  check(resource, context) {
    const pod = linuxPodOf(resource);
    if (!pod) return;
    for (const c of checkedContainers(pod)) {
      // Pure tests, cheapest and most often true first (building the AppArmor key costs most).
      if (hasSeccomp(pod, c) || dropsCapabilities(c) || hasAppArmor(pod, c) || hasSeLinux(pod, c)) continue;
      context.report(
        atField(locateField(c.pointer, c.container, ['securityContext', 'seccompProfile', 'type']), {
          message: `${describeContainer(c)} has no seccomp, SELinux or AppArmor profile and drops no capabilities: set securityContext.seccompProfile.type: RuntimeDefault`,
          data: polaris('linuxHardening'),
        }),
      );
    }
  },
};
