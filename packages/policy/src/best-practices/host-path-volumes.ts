import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';

/**
 * `bp/host-path-volumes`: pods mount no hostPath volumes (Polaris `hostPathSet`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [hostPathVolumes], kubernetesVersion: '1.35' });
 * ```
 */
export const hostPathVolumes: Rule = {
  id: 'bp/host-path-volumes',
  category: 'security',
  severity: 'error',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Pods mount no hostPath volumes.',
    details: `A hostPath volume exposes the node's file system to the pod: the container runtime socket,
kubelet credentials or \`/etc\` are one mount away from a node takeover. Use a PersistentVolumeClaim,
an \`emptyDir\`, a ConfigMap or a CSI volume instead; node agents that need the host get an exception
with the reason.

Matches Polaris \`hostPathSet\` (any \`volumes[].hostPath\`), kube-linter \`sensitive-host-mounts\` and
\`docker-sock\` and Kyverno \`disallow-cri-sock-mount\` (which flag only some paths) and the PSS baseline
check \`hostPathVolumes\`.
Severity: error (Polaris: warning), because the PSS baseline treats it as a boundary.`,
    upstream: [
      'polaris/hostPathSet',
      'kube-linter/sensitive-host-mounts',
      'kube-linter/docker-sock',
      'kyverno/disallow-cri-sock-mount',
    ],
    examples: [
      {
        title: 'emptyDir volume',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  volumes:
    - name: cache
      emptyDir: {}
  containers:
    - name: web
      image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'hostPath volume',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  volumes:
    - name: cache
      emptyDir: {}
    - name: docker
      hostPath:
        path: /var/run/docker.sock
  containers:
    - name: web
      image: nginx:1.27
`,
        reports: ['/spec/volumes/1/hostPath'],
      },
    ],
  },
  check(resource, context) {
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    const volumes = pod?.spec['volumes'];
    if (!pod || !Array.isArray(volumes)) return;
    for (let index = 0; index < volumes.length; index++) {
      const volume: unknown = volumes[index];
      if (!isObject(volume) || volume['hostPath'] === undefined || volume['hostPath'] === null) continue;
      const name = typeof volume['name'] === 'string' ? volume['name'] : `#${index}`;
      context.report({
        path: pointerOf(pod.pointer, 'volumes', index, 'hostPath'),
        message: `volume ${name} mounts a path of the node: use a PersistentVolumeClaim, emptyDir or CSI volume instead`,
        data: polaris('hostPathSet'),
      });
    }
  },
};
