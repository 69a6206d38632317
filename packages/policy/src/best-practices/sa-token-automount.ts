import { ownString } from '@shipshape/core';
import type { HeldFinding, Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { JoinedNames } from './dangling-refs.js';
import { isKind } from './kinds.js';
import { pointerOf } from './locate.js';

interface PendingPod {
  readonly namespace: string;
  /** The ServiceAccount's name (an own copy). */
  readonly account: string;
  readonly finding: HeldFinding;
}

const DATA = { polaris: 'automountServiceAccountToken' };

/**
 * `bp/sa-token-automount` (Polaris `automountServiceAccountToken`): a pod mounts no ServiceAccount
 * token unless it opts in, checked against the ServiceAccounts of the whole repository.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [createSaTokenAutomount()], kubernetesVersion: '1.35' });
 * ```
 */
export function createSaTokenAutomount(): Rule {
  // Per run: pods that leave the choice to their ServiceAccount, and the accounts that opt out (by
  // namespace and name, with no key string built per pod and account).
  let pending: PendingPod[] = [];
  let optedOut = new JoinedNames<true>();
  return {
    id: 'bp/sa-token-automount',
    category: 'security',
    severity: 'warning',
    kinds: [...POD_KINDS, 'ServiceAccount'],
    customResources: true,
    docs: {
      summary: 'Pods do not mount a ServiceAccount token they do not need.',
      details: `Kubernetes mounts a token for the pod's ServiceAccount into every container by default. Most
applications never call the API server, and for them the token only helps an intruder move on. Set
\`automountServiceAccountToken: false\` on the pod, or on its ServiceAccount; a pod that needs the API
sets it to \`true\` on the pod and gets an exception with the reason.

Matches Polaris \`automountServiceAccountToken\`: a pod passes when it sets the field to \`false\`, and
fails when it sets \`true\`; when it says nothing, the ServiceAccount it names
(\`serviceAccountName\`, else \`default\`) must be in the repository, in the same namespace, with
\`automountServiceAccountToken: false\`. ServiceAccounts are looked up across all files. Severity: warning
(Polaris: warning).`,
      upstream: ['polaris/automountServiceAccountToken'],
      examples: [
        {
          title: 'the ServiceAccount opts out',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false
`,
          reports: [],
        },
        {
          title: 'token mounted by default',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: api-client
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api-client
  namespace: shop
`,
          reports: ['/spec/template/spec'],
        },
      ],
    },
    check(resource, context) {
      if (isKind(resource, 'ServiceAccount')) {
        if (resource.object['automountServiceAccountToken'] === false) {
          optedOut.set(resource.id.namespace, resource.id.name, true);
        }
        return;
      }
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      if (!pod) return;
      const automount = pod.spec['automountServiceAccountToken'];
      if (automount === false) return;
      if (automount === true) {
        context.report({
          path: pointerOf(pod.pointer, 'automountServiceAccountToken'),
          message:
            'pod mounts its ServiceAccount token: set automountServiceAccountToken to false unless it calls the API server',
          data: DATA,
        });
        return;
      }
      const name = pod.spec['serviceAccountName'];
      const account = typeof name === 'string' && name !== '' ? name : 'default';
      const namespace = resource.id.namespace;
      // A ServiceAccount seen already that opts out settles it: a finding held would never be
      // reported, so none is (holding one places it in the file).
      if (optedOut.get(namespace, account)) return;
      // Placed now, reported from finish unless the ServiceAccount opts out of automounting.
      const finding = context.hold({
        path: pod.pointer,
        atKey: true,
        message: `pod mounts the token of ServiceAccount ${account}: set automountServiceAccountToken: false on the pod or on the ServiceAccount`,
        data: DATA,
      });
      pending.push({ namespace, account: ownString(account), finding });
    },
    finish(context) {
      for (const pod of pending) {
        if (!optedOut.get(pod.namespace, pod.account)) context.report(pod.finding);
      }
      pending = [];
      optedOut = new JoinedNames();
    },
  };
}
