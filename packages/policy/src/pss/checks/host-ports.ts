import { type ContainerRef, isObject } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  isUnset,
  listAt,
  type PodView,
  pluralize,
  show,
  sortedUnique,
} from '../pod-view.js';

const REASON = 'hostPort';

/** Whether a container port is bound on the node. */
function bindsHostPort(port: unknown): port is Record<string, unknown> {
  if (!isObject(port)) return false;
  const hostPort = port['hostPort'];
  return !isUnset(hostPort) && hostPort !== 0;
}

/** Whether some container binds a host port: the test alone, allocating nothing. */
function anyHostPort(pod: PodView): boolean {
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    if (listAt((containers[i] as ContainerRef).container, 'ports').some(bindsHostPort)) return true;
  }
  return false;
}

/** Container ports bound on the node: `ports[*].hostPort` of every container. */
export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        // Most pods pass: they build no lists.
        if (!anyHostPort(pod)) return undefined;
        const bad: string[] = [];
        const ports: string[] = [];
        const findings: PodSecurityFinding[] = [];
        for (const c of pod.containers) {
          let uses = false;
          listAt(c.container, 'ports').forEach((port, i) => {
            if (!isObject(port)) return;
            const hostPort = port['hostPort'];
            if (isUnset(hostPort) || hostPort === 0) return;
            uses = true;
            ports.push(show(hostPort));
            findings.push(
              finding(REASON, `container "${c.name}" uses hostPort ${show(hostPort)}`, {
                path: `${c.pointer}/ports/${i}/hostPort`,
              }),
            );
          });
          if (uses) bad.push(c.name);
        }
        if (bad.length === 0) return undefined;
        const unique = sortedUnique(ports);
        return {
          reason: REASON,
          detail: `${containerList(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`,
          findings,
        };
      },
    },
  ],
  docs: {
    summary: 'Containers bind no port on the node (hostPort).',
    details:
      "A `hostPort` opens the port on the node's own addresses, bypassing Services and most " +
      'NetworkPolicies, and ties the pod to nodes where the port is free. Remove `hostPort` (or set it ' +
      'to `0`) and expose the container through a Service. Applies to every container list at every ' +
      'policy version.',
    examples: [
      {
        title: 'a container port without hostPort',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
                ports:
                  - containerPort: 8080
        `,
        reports: [],
      },
      {
        title: 'port 80 bound on the node',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
                ports:
                  - containerPort: 8080
                  - containerPort: 80
                    hostPort: 80
        `,
        reports: ['/spec/containers/0/ports/1/hostPort'],
      },
    ],
  },
};
