import { ownString, type Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { type ByName, getNamed, PARTIAL, putNamed } from './dangling-refs.js';
import { isKind } from './kinds.js';

/**
 * A pod that names a ServiceAccount other than `default` not seen yet, kept until `finish`: the
 * pointer of its PodSpec, and which field names the account (the path is built for those reported).
 */
interface Reference {
  readonly resource: Resource;
  readonly pointer: string;
  readonly field: 'serviceAccountName' | 'serviceAccount';
  readonly name: string;
}

/**
 * `bp/service-account`: pods name a ServiceAccount of the repository, in their namespace, and
 * not through the deprecated `serviceAccount` field (kube-linter `non-existent-service-account`,
 * `deprecated-service-account-field`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [createServiceAccount()], kubernetesVersion: '1.35' });
 * ```
 */
export function createServiceAccount(): Rule {
  // Per run: pods' references, and ServiceAccount names by namespace.
  let references: Reference[] = [];
  let accounts: ByName<true> = new Map();
  return {
    id: 'bp/service-account',
    category: 'reliability',
    severity: 'warning',
    kinds: [...POD_KINDS, 'ServiceAccount'],
    customResources: true,
    docs: {
      summary: 'Pods name a ServiceAccount that exists, with serviceAccountName.',
      details: `A pod runs as the ServiceAccount \`spec.serviceAccountName\` names, in the pod's namespace. The API
server refuses a pod whose ServiceAccount does not exist, so a Deployment or Job naming a missing one
is accepted but never gets a pod: usually the ServiceAccount was renamed, or kept in another namespace
or in a folder that is synced later. \`default\`, which every namespace has, is not looked for.

\`spec.serviceAccount\` is the deprecated name of the same field: the API server still copies it into
\`serviceAccountName\` when that is unset, but tools that read only the new field miss it. It is
reported wherever it is written; rename it to \`serviceAccountName\`.

${PARTIAL} Matches kube-linter \`non-existent-service-account\` and \`deprecated-service-account-field\`; the
merged catalogue files them under \`service-account-refs\`. Severity: warning.`,
      upstream: ['kube-linter/non-existent-service-account', 'kube-linter/deprecated-service-account-field'],
      examples: [
        {
          title: 'the ServiceAccount is in the repository',
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
`,
          reports: [],
        },
        {
          title: 'a ServiceAccount that is nowhere',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: web-runner
      containers:
        - name: web
          image: nginx:1.27
`,
          reports: ['/spec/template/spec/serviceAccountName'],
        },
        {
          title: 'the deprecated field',
          yaml: `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  serviceAccount: default
  containers:
    - name: debug
      image: busybox:1.37
`,
          reports: ['/spec/serviceAccount'],
        },
      ],
    },
    check(resource, context) {
      if (isKind(resource, 'ServiceAccount')) {
        putNamed(accounts, resource.id.namespace, resource.id.name, true);
        return;
      }
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      if (!pod) return;
      const current = pod.spec['serviceAccountName'];
      const deprecated = pod.spec['serviceAccount'];
      if (typeof deprecated === 'string' && deprecated !== '') {
        context.report({
          path: `${pod.pointer}/serviceAccount`,
          message:
            typeof current === 'string' && current !== ''
              ? 'serviceAccount is deprecated, and serviceAccountName is set too: remove serviceAccount'
              : 'serviceAccount is deprecated: rename it to serviceAccountName',
        });
      }
      // The API server fills serviceAccountName from the deprecated field when it is unset.
      const usesCurrent = typeof current === 'string' && current !== '';
      const name = usesCurrent ? current : deprecated;
      if (typeof name !== 'string' || name === '' || name === 'default') return;
      // An account seen already is there in `finish` too (accounts are only added): nothing to keep.
      if (getNamed(accounts, resource.id.namespace, name)) return;
      references.push({
        resource,
        pointer: pod.pointer,
        field: usesCurrent ? 'serviceAccountName' : 'serviceAccount',
        name: ownString(name),
      });
    },
    finish(context) {
      for (const ref of references) {
        const namespace = ref.resource.id.namespace;
        if (getNamed(accounts, namespace, ref.name)) continue;
        const { kind, name } = ref.resource.id;
        context.report({
          resource: ref.resource,
          path: `${ref.pointer}/${ref.field}`,
          message: `${kind} ${name} runs as ServiceAccount ${ref.name}, which is not in namespace ${namespace || '(unset)'} in the repository: ${kind === 'Pod' ? 'the API server refuses the Pod' : 'no pod of it is created'} until it exists; add the ServiceAccount or fix the name`,
        });
      }
      references = [];
      accounts = new Map();
    },
  };
}
