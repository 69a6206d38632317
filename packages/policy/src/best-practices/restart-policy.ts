import type { Rule } from '../rule.js';
import { dig, fieldOf, isObject, isWorkload, podSpecOf } from '../workloads.js';
import { atField, locateField } from './locate.js';
import { showValue } from './show-value.js';

/** Kinds whose pods must always restart: the controller replaces a pod that stops. */
// Located only when reported, from keys built once: most workloads pass.
const FIELD = ['restartPolicy'];

const ALWAYS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/** Kinds whose pods run to completion. */
const COMPLETES = new Set(['Job', 'CronJob']);

/**
 * `bp/restart-policy`: a controller's pod template sets a `restartPolicy` the API server accepts
 * for its kind (kube-score `cronjob-restartpolicy`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [restartPolicy], kubernetesVersion: '1.35' });
 * ```
 */
export const restartPolicy: Rule = {
  id: 'bp/restart-policy',
  category: 'reliability',
  severity: 'error',
  kinds: [...ALWAYS, ...COMPLETES],
  docs: {
    summary: "A pod template's restartPolicy is one its controller's kind allows.",
    details: `The API server refuses a Job or CronJob whose pod template does not set \`restartPolicy\` to
\`OnFailure\` or \`Never\`: a pod that restarts for ever never completes. Leaving the field out does not
help, as the default is \`Always\`. It refuses \`OnFailure\` next to a \`podFailurePolicy\` too, since
that policy judges failed pods, which \`OnFailure\` never lets happen. Deployments, StatefulSets,
DaemonSets, ReplicaSets and ReplicationControllers replace their pods, and accept \`Always\` only
(leaving it out is the same). Such a manifest never reaches the cluster: the sync fails.

Pods and PodTemplates may use any of the three values; custom controllers are not judged. Matches
kube-score \`cronjob-restartpolicy\`, for Jobs as well as CronJobs. Severity: error (the API server
refuses the object).`,
    upstream: ['kube-score/cronjob-restartpolicy'],
    examples: [
      {
        title: 'a Job that runs to completion',
        yaml: `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.1
`,
        reports: [],
      },
      {
        title: 'a CronJob that leaves the policy out',
        yaml: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: registry.example.com/report:1.4
`,
        reports: ['/spec/jobTemplate/spec/template/spec'],
      },
      {
        title: 'a Deployment whose pods would not restart',
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
        app: web
    spec:
      restartPolicy: OnFailure
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: ['/spec/template/spec/restartPolicy'],
      },
    ],
  },
  check(resource, context) {
    if (!isWorkload(resource)) return;
    const kind = resource.id.kind;
    const pod = podSpecOf(resource);
    if (!pod) return;
    const policy = pod.spec['restartPolicy'];
    if (ALWAYS.has(kind)) {
      if (policy === undefined || policy === null || policy === 'Always') return;
      context.report(
        atField(locateField(pod.pointer, pod.spec, FIELD), {
          message: `${kind} pods must restart Always: the API server refuses restartPolicy ${showValue(policy)} in a ${kind}; remove it`,
        }),
      );
      return;
    }
    if (policy !== 'OnFailure' && policy !== 'Never') {
      context.report(
        atField(locateField(pod.pointer, pod.spec, FIELD), {
          message:
            policy === undefined || policy === null
              ? `${kind} pods need restartPolicy OnFailure or Never: the API server refuses the ${kind} without it (the default, Always, is not allowed); set restartPolicy: Never or OnFailure`
              : `${kind} pods need restartPolicy OnFailure or Never: the API server refuses restartPolicy ${showValue(policy)} in a ${kind}`,
        }),
      );
      return;
    }
    if (policy !== 'OnFailure') return;
    const jobSpec =
      kind === 'CronJob'
        ? dig(resource.object, 'spec', 'jobTemplate', 'spec')
        : fieldOf(resource.object, 'spec');
    if (isObject(fieldOf(jobSpec, 'podFailurePolicy'))) {
      context.report(
        atField(locateField(pod.pointer, pod.spec, FIELD), {
          message: `a ${kind} with a podFailurePolicy needs restartPolicy Never: the API server refuses OnFailure with it`,
        }),
      );
    }
  },
};
