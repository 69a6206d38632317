import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { locateField, polaris } from './locate.js';

// Reported for most pods: the keys are not rebuilt each time.
const FIELD = ['priorityClassName'];

/**
 * `bp/priority-class`: pods name a PriorityClass (Polaris `priorityClassNotSet`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [priorityClass], kubernetesVersion: '1.35' });
 * ```
 */
export const priorityClass: Rule = {
  id: 'bp/priority-class',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Pods set spec.priorityClassName.',
    details: `When a cluster runs short of room, the scheduler preempts lower-priority pods first, and the
kubelet evicts them first under node pressure. Without a \`priorityClassName\` every pod gets the
default priority and a batch job can push out a critical service. Name a PriorityClass that says
how important the workload is.

Matches Polaris \`priorityClassNotSet\` (every Pod and pod template, Jobs included) and kube-linter
\`priority-class-name\` (which also checks the name against a list). Severity: warning (Polaris:
warning).`,
    upstream: ['polaris/priorityClassNotSet', 'kube-linter/priority-class-name'],
    examples: [
      {
        title: 'priority class set',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      priorityClassName: business-critical
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'no priority class',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: ['/spec/template/spec'],
      },
    ],
  },
  check(resource, context) {
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    if (!pod) return;
    const name = pod.spec['priorityClassName'];
    if (typeof name === 'string' && name !== '') return;
    // Written out rather than through atField: reported for most pods, and one object costs less
    // than atField's three (measured).
    const at = locateField(pod.pointer, pod.spec, FIELD);
    context.report({
      path: at.path,
      atKey: at.atKey,
      message: 'pod names no PriorityClass: set priorityClassName',
      data: polaris('priorityClassNotSet'),
    });
  },
};
