import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';

const HOST_FIELDS = [
  { field: 'hostNetwork', polaris: 'hostNetworkSet', what: "the node's network" },
  { field: 'hostPID', polaris: 'hostPIDSet', what: "the node's process table" },
  { field: 'hostIPC', polaris: 'hostIPCSet', what: "the node's IPC namespace" },
] as const;

/**
 * `bp/host-namespaces`: pods do not share the node's network, PID or IPC namespace (Polaris
 * `hostNetworkSet`, `hostPIDSet`, `hostIPCSet`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [hostNamespaces], kubernetesVersion: '1.35' });
 * ```
 */
export const hostNamespaces: Rule = {
  id: 'bp/host-namespaces',
  category: 'security',
  severity: 'error',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Pods do not set hostNetwork, hostPID or hostIPC.',
    details: `A pod in the node's network namespace can bind the node's ports and reach services bound to
localhost; with \`hostPID\` it sees (and can signal) every process on the node; with \`hostIPC\` it
shares the node's shared memory. Remove the field (it defaults to \`false\`). Node agents that need
it (CNI plugins, log shippers) get an exception with the reason.

Matches Polaris \`hostNetworkSet\`, \`hostPIDSet\` and \`hostIPCSet\` (one finding per field), kube-linter
\`host-network\`, \`host-pid\`, \`host-ipc\` and the PSS baseline check \`hostNamespaces\`.
Severity: error (Polaris: danger).`,
    upstream: [
      'polaris/hostNetworkSet',
      'polaris/hostPIDSet',
      'polaris/hostIPCSet',
      'kube-linter/host-network',
      'kube-linter/host-pid',
      'kube-linter/host-ipc',
    ],
    examples: [
      {
        title: 'own namespaces',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: false
  containers:
    - name: web
      image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'host network and PID namespace',
        yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      containers:
        - name: agent
          image: agent:2.1
`,
        reports: ['/spec/template/spec/hostNetwork', '/spec/template/spec/hostPID'],
      },
    ],
  },
  check(resource, context) {
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    if (!pod) return;
    for (const { field, polaris: check, what } of HOST_FIELDS) {
      if (pod.spec[field] !== true) continue;
      context.report({
        path: pointerOf(pod.pointer, field),
        message: `pod sets ${field}: true and shares ${what}; remove ${field}`,
        data: polaris(check),
      });
    }
  },
};
