import { isObject } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import { finding, isUnset, joinQuote, listAt, pluralize } from '../pod-view.js';

const REASON = 'hostPath volumes';

/** Whether a volume mounts a path of the node. */
function mountsHostPath(volume: unknown): volume is Record<string, unknown> {
  return isObject(volume) && !isUnset(volume['hostPath']);
}

/** Volumes that mount a path of the node: `spec.volumes[*].hostPath`. */
export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        // Tested before any list is built: most pods pass, and then allocate nothing.
        if (!listAt(pod.spec, 'volumes').some(mountsHostPath)) return undefined;
        const bad: string[] = [];
        const findings: PodSecurityFinding[] = [];
        listAt(pod.spec, 'volumes').forEach((volume, i) => {
          if (!mountsHostPath(volume)) return;
          const name = typeof volume['name'] === 'string' ? volume['name'] : `#${i}`;
          bad.push(name);
          findings.push(
            finding(REASON, `volume "${name}" must not use hostPath`, {
              path: `${pod.specPointer}/volumes/${i}/hostPath`,
              atKey: true,
            }),
          );
        });
        if (bad.length === 0) return undefined;
        return {
          reason: REASON,
          detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`,
          findings,
        };
      },
    },
  ],
  docs: {
    summary: 'Pods mount no directory of the node (hostPath volumes).',
    details:
      "A `hostPath` volume reaches into the node's file system: the container runtime socket, kubelet " +
      "credentials, other pods' data, or `/` itself. Even read-only mounts leak secrets, and writable " +
      'ones take over the node. Use an `emptyDir`, a `configMap`/`secret`, a `persistentVolumeClaim` or ' +
      'a CSI volume instead. Checked at every policy version; at the restricted level ' +
      '`pss/restrictedVolumes` replaces it (and forbids hostPath too).',
    examples: [
      {
        title: 'scratch space in an emptyDir',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
            volumes:
              - name: cache
                emptyDir: {}
        `,
        reports: [],
      },
      {
        title: 'the container runtime socket mounted from the node',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: builder
          spec:
            containers:
              - name: app
                image: docker:27
            volumes:
              - name: cache
                emptyDir: {}
              - name: sock
                hostPath:
                  path: /var/run/docker.sock
        `,
        reports: ['/spec/volumes/1/hostPath'],
      },
    ],
  },
};
