import type { Rule } from '../rule.js';
import { fieldOf, isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isKind } from './kinds.js';

/**
 * What is wrong with a port name, by the API server's IsValidPortName (an IANA service name): at
 * most 15 characters of `a-z`, `0-9` and `-`, with a letter, no `--`, and no `-` at either end.
 */
export function portNameProblem(name: string): string | undefined {
  const length = name.length;
  if (length === 0) return 'is empty';
  if (length > 15) return 'is longer than 15 characters';
  // One pass over the characters, not four searches (`^[a-z0-9-]+$`, `[a-z]`, `--`): every port
  // name of every container is checked.
  let letter = false;
  let doubleDash = false;
  for (let i = 0; i < length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 97 && code <= 122) letter = true;
    else if (code === 45) doubleDash ||= i > 0 && name.charCodeAt(i - 1) === 45;
    else if (code < 48 || code > 57) return 'may hold only lower-case letters, digits and -';
  }
  if (!letter) return 'must hold at least one letter';
  if (doubleDash) return 'must not hold --';
  if (name.charCodeAt(0) === 45 || name.charCodeAt(length - 1) === 45) return 'must not begin or end with -';
  return undefined;
}

/**
 * `bp/port-names`: container port names and Services' named target ports are names the API server
 * accepts (kube-linter `invalid-target-ports`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [portNames], kubernetesVersion: '1.35' });
 * ```
 */
export const portNames: Rule = {
  id: 'bp/port-names',
  category: 'reliability',
  severity: 'error',
  kinds: [...POD_KINDS, 'Service'],
  customResources: true,
  docs: {
    summary: "Container port names and Services' named targetPorts are valid port names.",
    details: `A port name is an IANA service name: at most 15 characters, lower-case letters, digits and \`-\`, at least
one letter, no \`--\` and no \`-\` at either end. The API server refuses a pod template whose container
port \`name\` breaks the rule, and a Service whose string \`targetPort\` does, so the sync fails on the
cluster; the schemas do not say it. Names such as \`http_metrics\`, \`HTTP\` or \`prometheus-metrics\` (16
characters) are the usual culprits. Rename the port, and every \`targetPort\` and probe that names it.

Container ports of every container (init containers included) of Pods and pod templates, and the
\`targetPort\` of each Service port when it is a string, are checked. Matches kube-linter
\`invalid-target-ports\`. Severity: error (the API server refuses the object).`,
    upstream: ['kube-linter/invalid-target-ports'],
    examples: [
      {
        title: 'valid names',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - name: http-metrics
          containerPort: 9090
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 9090
      targetPort: http-metrics
`,
        reports: [],
      },
      {
        title: 'an underscore',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - name: http_metrics
          containerPort: 9090
`,
        reports: ['/spec/containers/0/ports/0/name'],
      },
    ],
  },
  check(resource, context) {
    if (isKind(resource, 'Service')) {
      const ports = fieldOf(fieldOf(resource.object, 'spec'), 'ports');
      if (!Array.isArray(ports)) return;
      for (let i = 0; i < ports.length; i++) {
        const target = fieldOf(ports[i], 'targetPort');
        if (typeof target !== 'string') continue;
        const problem = portNameProblem(target);
        if (problem === undefined) continue;
        context.report({
          path: `/spec/ports/${i}/targetPort`,
          message: /^[0-9]+$/.test(target)
            ? `Service port ${i} has targetPort "${target}", a string the API server reads as a port name and refuses: write the number without quotes`
            : `Service port ${i} targets the port name ${target}, which the API server refuses: a port name ${problem}`,
        });
      }
      return;
    }
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const ports = c.container['ports'];
      if (!Array.isArray(ports)) continue;
      for (let i = 0; i < ports.length; i++) {
        const port: unknown = ports[i];
        const name = isObject(port) ? port['name'] : undefined;
        if (typeof name !== 'string') continue;
        const problem = portNameProblem(name);
        if (problem === undefined) continue;
        context.report({
          path: `${c.pointer}/ports/${i}/name`,
          message: `${describeContainer(c)} names a port ${name}, which the API server refuses: a port name ${problem}`,
        });
      }
    }
  },
};
