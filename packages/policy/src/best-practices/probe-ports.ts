import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, declaresPortName, describeContainer, portNamesOf } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

/**
 * `bp/probe-ports`: a probe that names its port names one the container declares (kube-linter
 * `liveness-port`, `readiness-port`, `startup-port`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [probePorts], kubernetesVersion: '1.35' });
 * ```
 */
export const probePorts: Rule = {
  id: 'bp/probe-ports',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: "A probe's named port is one of its container's ports.",
    details: `An \`httpGet\` or \`tcpSocket\` probe may name its port (\`port: http\`). The kubelet looks the name up in the
container's own \`ports\` and, when it is not there, the probe fails every time: a liveness probe
restarts the container in a loop, a readiness probe keeps the pod out of its Services forever, a
startup probe does both. The API server accepts the object, so the mistake shows only after the
sync. Declare the port with that \`name\` in the container, or write the number. A number written
as a string (\`port: "8080"\`) is read as a name too, and no port name is all digits.

Liveness, readiness and startup probes of every container (init containers included) are checked.
Matches kube-linter \`liveness-port\`, \`readiness-port\` and \`startup-port\` for named ports; a port
number the container does not declare is not reported, since a probe reaches any port the process
listens on. Severity: warning.`,
    upstream: ['kube-linter/liveness-port', 'kube-linter/readiness-port', 'kube-linter/startup-port'],
    examples: [
      {
        title: 'the named port is declared',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - name: http
          containerPort: 8080
      readinessProbe:
        httpGet:
          path: /ready
          port: http
      livenessProbe:
        tcpSocket:
          port: 8080
`,
        reports: [],
      },
      {
        title: 'the port was renamed',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - name: web
          containerPort: 8080
      readinessProbe:
        httpGet:
          path: /ready
          port: http
`,
        reports: ['/spec/containers/0/readinessProbe/httpGet/port'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      for (const probe of PROBES) {
        const written = c.container[probe];
        if (!isObject(written)) continue;
        for (const handler of HANDLERS) {
          const port = isObject(written[handler]) ? written[handler]['port'] : undefined;
          if (typeof port !== 'string') continue;
          // Looked up without a list of names: most probes name a declared port.
          if (declaresPortName(c.container, port)) continue;
          const names = portNamesOf(c.container);
          const declared = names.length === 0 ? 'it names no port' : `its ports are ${names.join(', ')}`;
          context.report({
            path: `${c.pointer}/${probe}/${handler}/port`,
            message: /^[0-9]+$/.test(port)
              ? `${describeContainer(c)}'s ${probe} names port "${port}", a string the kubelet reads as a port name, so the probe always fails: write the number without quotes`
              : `${describeContainer(c)}'s ${probe} names port ${port}, which the container does not declare (${declared}), so the probe always fails: declare it or use the port number`,
          });
        }
      }
    }
  },
};
