import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import { finding, isUnset, show } from '../pod-view.js';

const REASON = 'host namespaces';
const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Whether a `host*` field is set to anything but `false`. */
function shares(value: unknown): boolean {
  return !isUnset(value) && value !== false;
}

/** Sharing the host's network, process or IPC namespace: `spec.hostNetwork`, `hostPID`, `hostIPC`. */
export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        // Tested before any list is built: most pods pass, and then allocate nothing.
        const spec = pod.spec;
        if (!shares(spec['hostNetwork']) && !shares(spec['hostPID']) && !shares(spec['hostIPC']))
          return undefined;
        const set = FIELDS.filter((f) => shares(pod.spec[f]));
        if (set.length === 0) return undefined;
        const values = set.map((f) => `${f}=${show(pod.spec[f])}`);
        return {
          reason: REASON,
          detail: values.join(', '),
          findings: set.map((f, i) =>
            finding(REASON, `pod must not set ${values[i]}`, { path: `${pod.specPointer}/${f}` }),
          ),
        };
      },
    },
  ],
  docs: {
    summary: 'Pods do not share the host network, PID or IPC namespace.',
    details:
      'A pod with `hostNetwork`, `hostPID` or `hostIPC` sees the node itself: every network interface and ' +
      'local-only port, every process (and its environment and memory through `/proc`), or shared memory ' +
      'segments of other workloads. Remove the field or set it to `false`; a pod that truly needs the host ' +
      '(a CNI agent, a node exporter) belongs in a namespace with the `privileged` level or needs an ' +
      'exception with a reason. Checked at every policy version.',
    examples: [
      {
        title: 'a pod in its own namespaces',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            hostNetwork: false
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'a pod on the host network and PID namespace',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: debug
          spec:
            hostNetwork: true
            hostPID: true
            containers:
              - name: shell
                image: busybox:1.36
        `,
        reports: ['/spec/hostNetwork', '/spec/hostPID'],
      },
    ],
  },
};
