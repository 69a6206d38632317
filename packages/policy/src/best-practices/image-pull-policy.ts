import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { locateField, polaris } from './locate.js';
import { showValue } from './show-value.js';

const POLICIES = ['Always', 'IfNotPresent', 'Never'];

// Reported for most containers of most repositories: the keys are not rebuilt each time.
const FIELD = ['imagePullPolicy'];

/**
 * `bp/image-pull-policy`: containers set `imagePullPolicy: Always` (Polaris `pullPolicyNotAlways`).
 * Option `allowed` names the accepted policies.
 *
 * @example
 * ```ts
 * createPolicyEngine({
 *   rules: [imagePullPolicy],
 *   kubernetesVersion: '1.35',
 *   settings: { 'bp/image-pull-policy': { options: { allowed: ['Always', 'IfNotPresent'] } } },
 * });
 * ```
 */
export const imagePullPolicy: Rule = {
  id: 'bp/image-pull-policy',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  options: {
    allowed: {
      description: 'The image pull policies a container may set.',
      schema: { type: 'array', items: { enum: POLICIES }, minItems: 1, uniqueItems: true },
      default: ['Always'],
    },
  },
  docs: {
    summary: 'Containers set imagePullPolicy: Always (or another allowed policy).',
    details: `With \`IfNotPresent\`, a node that already has an image under the tag keeps running it even when the
tag has been pushed again, and a pod can start from an image its own pull secret would no longer
grant. \`Always\` makes the kubelet check the registry on each start (cheap: only the manifest is
fetched when the image is cached). Write the policy explicitly: the default depends on the tag.

Matches Polaris \`pullPolicyNotAlways\` (the field must be written and be \`Always\`) and kube-score
\`container-image-pull-policy\`. With images pinned by digest, \`IfNotPresent\` is just as safe: add it to
the \`allowed\` option. Init containers are checked too. Severity: warning (Polaris: warning).`,
    upstream: ['polaris/pullPolicyNotAlways', 'kube-score/container-image-pull-policy'],
    examples: [
      {
        title: 'Always',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      imagePullPolicy: Always
`,
        reports: [],
      },
      {
        title: 'not set, and IfNotPresent',
        yaml: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 6 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: report:2.0
            - name: upload
              image: rclone:1.68
              imagePullPolicy: IfNotPresent
`,
        reports: [
          '/spec/jobTemplate/spec/template/spec/containers/0',
          '/spec/jobTemplate/spec/template/spec/containers/1/imagePullPolicy',
        ],
      },
    ],
  },
  check(resource, context) {
    const allowed = Array.isArray(context.options['allowed'])
      ? (context.options['allowed'] as unknown[])
      : [];
    const wanted = wantedText(allowed);
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const policy = c.container['imagePullPolicy'];
      if (allowed.includes(policy)) continue;
      // Written out rather than through atField: reported for most containers, and one object
      // costs less than atField's three (measured).
      const at = locateField(c.pointer, c.container, FIELD);
      context.report({
        path: at.path,
        atKey: at.atKey,
        message:
          policy === undefined || policy === null
            ? `${describeContainer(c)} does not set imagePullPolicy: set it to ${wanted}`
            : `${describeContainer(c)} has imagePullPolicy ${showValue(policy)}: set it to ${wanted}`,
        data: polaris('pullPolicyNotAlways'),
      });
    }
  },
};

/** `Always or IfNotPresent`, worked out once per options list (rules see the same one all run). */
function wantedText(allowed: readonly unknown[]): string {
  if (lastWanted?.allowed !== allowed) lastWanted = { allowed, text: allowed.map(String).join(' or ') };
  return lastWanted.text;
}

let lastWanted: { readonly allowed: readonly unknown[]; readonly text: string } | undefined;
