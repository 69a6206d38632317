import type { Rule } from '../rule.js';
import { fieldOf, isWorkload, POD_KINDS } from '../workloads.js';
import { atField, locateField, pointerOf, polaris } from './locate.js';
import { showValue } from './show-value.js';

const INSTANCE = 'app.kubernetes.io/instance';

/**
 * `bp/labels`: workloads carry `app.kubernetes.io/instance` equal to their name (Polaris
 * `metadataAndInstanceMismatched`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [labels], kubernetesVersion: '1.35' });
 * ```
 */
export const labels: Rule = {
  id: 'bp/labels',
  category: 'hygiene',
  severity: 'info',
  kinds: POD_KINDS,
  docs: {
    summary: 'Workloads set the app.kubernetes.io/instance label to their own name.',
    details: `The recommended label \`app.kubernetes.io/instance\` identifies one installation of an
application; dashboards, cost reports and \`kubectl get -l\` rely on it. A value that differs from
the object's name usually comes from a copied manifest or a renamed release. Set the label, equal to
\`metadata.name\`.

Matches Polaris \`metadataAndInstanceMismatched\` (Pods and workloads; a missing label fails too). The
merged catalogue files it under its \`labels\` row, with kube-score \`label-values\` and kube-linter
\`required-label-owner\`. Severity: info (Polaris: warning).`,
    upstream: ['polaris/metadataAndInstanceMismatched'],
    examples: [
      {
        title: 'instance label matches the name',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/instance: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'instance label of another release',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/instance: web-old
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: ['/metadata/labels/app.kubernetes.io~1instance'],
      },
    ],
  },
  check(resource, context) {
    if (!isWorkload(resource)) return;
    const metadata = fieldOf(resource.object, 'metadata');
    const name = fieldOf(metadata, 'name');
    // A generated name (generateName) is not known before the server makes it: no label can match it.
    if (typeof name !== 'string' || name === '') return;
    const value = fieldOf(fieldOf(metadata, 'labels'), INSTANCE);
    if (value === name && typeof value === 'string') return;
    const data = polaris('metadataAndInstanceMismatched');
    if (value === undefined) {
      context.report(
        atField(locateField('', resource.object, ['metadata', 'labels', INSTANCE]), {
          message: `label ${INSTANCE} is missing: set it to the name ${showValue(name)}`,
          data,
        }),
      );
      return;
    }
    context.report({
      path: pointerOf('/metadata/labels', INSTANCE),
      message: `label ${INSTANCE} is ${showValue(value)}, not the name ${showValue(name)}: set it to ${showValue(name)}`,
      data,
    });
  },
};
