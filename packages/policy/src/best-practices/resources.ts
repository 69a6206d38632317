import type { Rule } from '../rule.js';
import { fieldOf, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { locateField, polaris } from './locate.js';

// One finding per missing quantity, in this order, each tagged with its Polaris check.
// `keys`: where each quantity is, built once (missing ones are reported for many containers).
const QUANTITIES = (
  [
    { kind: 'requests', resource: 'cpu', polaris: 'cpuRequestsMissing', option: undefined },
    { kind: 'requests', resource: 'memory', polaris: 'memoryRequestsMissing', option: undefined },
    { kind: 'limits', resource: 'cpu', polaris: 'cpuLimitsMissing', option: 'cpuLimit' },
    { kind: 'limits', resource: 'memory', polaris: 'memoryLimitsMissing', option: 'memoryLimit' },
  ] as const
).map((q) => ({ ...q, keys: ['resources', q.kind, q.resource] }));

/**
 * `bp/resources`: containers set CPU and memory requests and limits (Polaris `cpuRequestsMissing`,
 * `memoryRequestsMissing`, `cpuLimitsMissing`, `memoryLimitsMissing`). Options `cpuLimit` and
 * `memoryLimit` turn the limit requirements off.
 *
 * @example
 * ```ts
 * createPolicyEngine({
 *   rules: [resources],
 *   kubernetesVersion: '1.35',
 *   settings: { 'bp/resources': { options: { cpuLimit: false } } },
 * });
 * ```
 */
export const resources: Rule = {
  id: 'bp/resources',
  category: 'efficiency',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  options: {
    cpuLimit: {
      description: 'Require resources.limits.cpu. Many teams leave CPU unlimited to avoid throttling.',
      schema: { type: 'boolean' },
      default: true,
    },
    memoryLimit: {
      description: 'Require resources.limits.memory.',
      schema: { type: 'boolean' },
      default: true,
    },
  },
  docs: {
    summary: 'Containers set CPU and memory requests and limits.',
    details: `The scheduler places pods by their requests: without them a node can be overcommitted and its
pods evicted or starved first. Limits stop one container from taking a node's memory (the kernel
kills it instead of its neighbours) or its CPU. Set \`resources.requests.cpu\`,
\`resources.requests.memory\`, \`resources.limits.cpu\` and \`resources.limits.memory\`; turn off the
\`cpuLimit\` option if you deliberately leave CPU unlimited.

Matches Polaris \`cpuRequestsMissing\`, \`memoryRequestsMissing\`, \`cpuLimitsMissing\` and
\`memoryLimitsMissing\` (one finding each; a value must be written and not empty), kube-score
\`container-resources\`, kube-linter \`unset-cpu-requirements\` / \`unset-memory-requirements\` and Kyverno
\`require-pod-requests-limits\`. As in
Polaris, init containers are not checked. Severity: warning (Polaris: warning).`,
    upstream: [
      'polaris/cpuRequestsMissing',
      'polaris/memoryRequestsMissing',
      'polaris/cpuLimitsMissing',
      'polaris/memoryLimitsMissing',
      'kube-score/container-resources',
      'kube-linter/unset-cpu-requirements',
      'kube-linter/unset-memory-requirements',
      'kyverno/require-pod-requests-limits',
    ],
    examples: [
      {
        title: 'requests and limits',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources:
        requests:
          cpu: 100m
          memory: 128Mi
        limits:
          cpu: 500m
          memory: 128Mi
`,
        reports: [],
      },
      {
        title: 'memory only, and nothing',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources:
        requests:
          memory: 128Mi
        limits:
          memory: 128Mi
    - name: sidecar
      image: envoy:1.31
`,
        reports: [
          '/spec/containers/0/resources/requests',
          '/spec/containers/0/resources/limits',
          '/spec/containers/1',
          '/spec/containers/1',
          '/spec/containers/1',
          '/spec/containers/1',
        ],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES), { init: false })) {
      const resources = fieldOf(c.container, 'resources');
      for (let i = 0; i < QUANTITIES.length; i++) {
        const q = QUANTITIES[i] as (typeof QUANTITIES)[number];
        if (q.option !== undefined && context.options[q.option] === false) continue;
        const value = fieldOf(fieldOf(resources, q.kind), q.resource);
        if (value !== undefined && value !== null && value !== '') continue;
        const noun = q.kind === 'requests' ? 'request' : 'limit';
        // Written out rather than through atField: one object costs less than its three (measured).
        const at = locateField(c.pointer, c.container, q.keys);
        context.report({
          path: at.path,
          atKey: at.atKey,
          message: `${describeContainer(c)} has no ${q.resource === 'cpu' ? 'CPU' : 'memory'} ${noun}: set resources.${q.kind}.${q.resource}`,
          data: polaris(q.polaris),
        });
      }
    }
  },
};
