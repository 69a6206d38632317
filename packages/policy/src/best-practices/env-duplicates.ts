import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';

/**
 * `bp/env-duplicates`: no container sets the same environment variable twice (kube-score
 * `environment-variable-key-duplication`, kube-linter `duplicate-env-var`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [envDuplicates], kubernetesVersion: '1.35' });
 * ```
 */
export const envDuplicates: Rule = {
  id: 'bp/env-duplicates',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'No container sets the same environment variable twice.',
    details: `When a container's \`env\` names a variable twice, the last entry wins and the first is silently
ignored; the API server accepts the object with only a warning ("hides previous definition"). It is
almost always a merge or patch gone wrong: someone changes the first entry and nothing happens.
Keep one entry per name. Variables that \`envFrom\` brings in are not compared: \`env\` is meant
to override them.

Each repeated entry is reported at its place, naming the entry it hides. Init containers are
checked too. Matches kube-score \`environment-variable-key-duplication\` and kube-linter
\`duplicate-env-var\`. Severity: warning (kube-score: critical; the object is accepted).`,
    upstream: ['kube-score/environment-variable-key-duplication', 'kube-linter/duplicate-env-var'],
    examples: [
      {
        title: 'each variable once',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      env:
        - name: LOG_LEVEL
          value: info
        - name: PORT
          value: "8080"
`,
        reports: [],
      },
      {
        title: 'LOG_LEVEL set twice',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      env:
        - name: LOG_LEVEL
          value: info
        - name: PORT
          value: "8080"
        - name: LOG_LEVEL
          value: debug
`,
        reports: ['/spec/containers/0/env/2/name'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const env = c.container['env'];
      if (!Array.isArray(env) || env.length < 2) continue;
      // Most containers have a handful of variables: a quadratic scan allocates nothing.
      for (let i = 1; i < env.length; i++) {
        const entry: unknown = env[i];
        if (!isObject(entry)) continue;
        const name = entry['name'];
        if (typeof name !== 'string') continue;
        let first = -1;
        for (let j = 0; j < i && first < 0; j++) {
          const earlier: unknown = env[j];
          if (isObject(earlier) && earlier['name'] === name) first = j;
        }
        if (first < 0) continue;
        context.report({
          path: `${c.pointer}/env/${i}/name`,
          message: `${describeContainer(c)} sets environment variable ${name} again (first at env[${first}]): the last entry wins and hides the first; keep one`,
        });
      }
    }
  },
};
