import type { LabelSelector } from '../label-selector.js';
import { selectorMatches } from '../label-selector.js';
import type { Rule } from '../rule.js';
import { fieldOf, isObject, isWorkload } from '../workloads.js';
import { labelMap, mapSelects, readSelector, showLabels } from './label-selector.js';

/** Where each controller keeps its selector and pod template: the path, and its pointer (made once). */
interface Controller {
  readonly path: readonly string[];
  readonly pointer: string;
}

const SPEC: Controller = { path: ['spec'], pointer: '/spec' };

const CONTROLLERS: Readonly<Record<string, Controller>> = {
  Deployment: SPEC,
  ReplicaSet: SPEC,
  StatefulSet: SPEC,
  DaemonSet: SPEC,
  ReplicationController: SPEC,
  Job: SPEC,
  CronJob: { path: ['spec', 'jobTemplate', 'spec'], pointer: '/spec/jobTemplate/spec' },
};

/**
 * `bp/selector-matches-template`: a controller's `spec.selector` selects the labels of its own pod
 * template, as the API server requires (kube-score
 * `deployment-pod-selector-labels-match-template-metadata-labels`, kube-linter
 * `mismatching-selector`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [selectorMatchesTemplate], kubernetesVersion: '1.35' });
 * ```
 */
export const selectorMatchesTemplate: Rule = {
  id: 'bp/selector-matches-template',
  category: 'reliability',
  severity: 'error',
  kinds: Object.keys(CONTROLLERS),
  docs: {
    summary: "A controller's selector selects the labels of its own pod template.",
    details: `A Deployment, ReplicaSet, StatefulSet or DaemonSet adopts the pods its \`spec.selector\` selects, and
must be able to find the pods its template makes: the API server refuses one whose selector does not
select \`spec.template.metadata.labels\` ("selector does not match template labels"), or whose
selector is empty (\`{}\`). The sync then fails on the cluster, after the merge. Make the selector
a subset of the template's labels; remember that the selector of an existing controller cannot be
changed afterwards.

Checked as the API server validates: \`matchLabels\` and \`matchExpressions\` (\`In\`, \`NotIn\`,
\`Exists\`, \`DoesNotExist\`) against the template's labels. A ReplicationController's selector is a
plain map and may be left out (it then defaults to the template's labels); so may the selector of
the older \`extensions/v1beta1\` and \`apps/v1beta1\` versions. A Job's (or a CronJob's job template's)
selector is checked only with \`manualSelector: true\`: otherwise the API server makes it. A missing
\`apps/v1\` selector is left to schema validation, which reports the required field. Matches
kube-score \`deployment-pod-selector-labels-match-template-metadata-labels\` and
\`statefulset-pod-selector-labels-match-template-metadata-labels\`, and kube-linter
\`mismatching-selector\`. Severity: error (the API server refuses the object).`,
    upstream: [
      'kube-score/deployment-pod-selector-labels-match-template-metadata-labels',
      'kube-score/statefulset-pod-selector-labels-match-template-metadata-labels',
      'kube-linter/mismatching-selector',
    ],
    examples: [
      {
        title: 'the selector is a subset of the template labels',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
    matchExpressions:
      - key: tier
        operator: In
        values: [frontend, edge]
  template:
    metadata:
      labels:
        app: web
        tier: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'label renamed in the template only',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: webshop
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: ['/spec/selector'],
      },
    ],
  },
  check(resource, context) {
    if (!isWorkload(resource)) return;
    const kind = resource.id.kind;
    const controller = CONTROLLERS[kind];
    if (controller === undefined) return;
    let spec: unknown = resource.object;
    for (let i = 0; i < controller.path.length; i++) spec = fieldOf(spec, controller.path[i] as string);
    if (!isObject(spec)) return;
    const pointer = controller.pointer;
    const selector = spec['selector'];
    if (selector === undefined || selector === null) return; // defaulted, generated or schema's to report
    if (kind === 'Job' || kind === 'CronJob') {
      if (spec['manualSelector'] !== true) return;
    }
    const written = fieldOf(fieldOf(fieldOf(spec, 'template'), 'metadata'), 'labels');
    // Most selectors are `matchLabels` the template repeats: answered without building maps.
    if (kind !== 'ReplicationController' && plainMatch(selector, written)) return;
    const labels = labelMap(written);
    const shown = showLabels(labels);
    if (kind === 'ReplicationController') {
      if (!isObject(selector)) return;
      const map = labelMap(selector);
      if (Object.keys(map).length === 0 || mapSelects(map, labels)) return;
      context.report({
        path: `${pointer}/selector`,
        message: `selector ${showLabels(map)} does not select the pod template's labels (${shown}): the API server refuses this ReplicationController; make the selector a subset of spec.template.metadata.labels`,
      });
      return;
    }
    const read = readSelector(selector);
    // A selector that is not one (a list, a bad operator) is the schema check's to report.
    if (read.invalid) return;
    if (Object.keys(read.matchLabels).length === 0 && read.matchExpressions.length === 0) {
      // `{}` is not defaulted: the apps kinds refuse it ("empty selector is invalid for deployment");
      // a Job's selects everything, its template included.
      if (kind === 'Job' || kind === 'CronJob') return;
      context.report({
        path: `${pointer}/selector`,
        message: `selector is empty: the API server refuses this ${kind}; select the pod template's labels (${shown})`,
      });
      return;
    }
    if (selectorMatches(read, labels)) return;
    context.report({
      path: `${pointer}/selector`,
      message: `selector ${showSelector(read)} does not select the pod template's labels (${shown}): the API server refuses this ${kind}; make the selector match spec.template.metadata.labels`,
    });
  },
};

function showSelector(selector: LabelSelector): string {
  const terms = Object.keys(selector.matchLabels).length === 0 ? [] : [showLabels(selector.matchLabels)];
  for (const r of selector.matchExpressions) {
    terms.push(
      r.values.length === 0 ? `${r.key} ${r.operator}` : `${r.key} ${r.operator} (${r.values.join(',')})`,
    );
  }
  return terms.join(',');
}

/** Whether a selector of `matchLabels` alone (at least one) is met by the labels as written. */
function plainMatch(selector: unknown, labels: unknown): boolean {
  if (!isObject(selector) || !isObject(labels)) return false;
  const expressions = selector['matchExpressions'];
  if (expressions !== undefined && !(Array.isArray(expressions) && expressions.length === 0)) return false;
  const match = selector['matchLabels'];
  if (!isObject(match)) return false;
  let count = 0;
  for (const key in match) {
    if (!Object.hasOwn(match, key)) continue;
    const want = match[key];
    if (typeof want !== 'string' || !Object.hasOwn(labels, key) || labels[key] !== want) return false;
    count++;
  }
  return count > 0;
}
