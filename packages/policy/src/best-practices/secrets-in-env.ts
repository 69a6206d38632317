import type { Resource } from '@shipshape/core';
import type { Rule, RuleContext } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isKind } from './kinds.js';
import { pointerOf } from './locate.js';
import { containsPrivateKey, isSensitiveName } from './sensitive.js';

// Messages name the variable or key, never the value: the value is the secret. `sensitive` tells
// reports that the finding's span (the key, with the value on its line or under it) holds a
// credential, so no code frame or snippet shows those lines.
const CONTAINER_DATA = Object.freeze({ polaris: 'sensitiveContainerEnvVar', sensitive: true });
const CONFIGMAP_DATA = Object.freeze({ polaris: 'sensitiveConfigmapContent', sensitive: true });

function checkContainers(resource: Resource, context: RuleContext): void {
  const data = CONTAINER_DATA;
  for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
    const env = c.container['env'];
    if (!Array.isArray(env)) continue;
    for (let index = 0; index < env.length; index++) {
      const variable: unknown = env[index];
      if (!isObject(variable)) continue;
      const { name, value, valueFrom } = variable;
      // An empty value is no value; a valueFrom reference is where a secret belongs.
      if (value === undefined || value === null || value === '' || isObject(valueFrom)) continue;
      const label = typeof name === 'string' ? name : `#${index}`;
      const what =
        typeof name === 'string' && isSensitiveName(name)
          ? 'a literal value'
          : containsPrivateKey(value)
            ? 'a literal private key'
            : undefined;
      if (!what) continue;
      context.report({
        path: pointerOf(c.pointer, 'env', index, 'value'),
        atKey: true,
        message: `${describeContainer(c)} sets environment variable ${label} to ${what}: read it from a Secret with valueFrom.secretKeyRef`,
        data,
      });
    }
  }
}

function checkConfigMap(resource: Resource, context: RuleContext): void {
  const entries = resource.object['data'];
  if (!isObject(entries)) return;
  const data = CONFIGMAP_DATA;
  for (const key in entries) {
    if (!Object.hasOwn(entries, key)) continue;
    const value = entries[key];
    const why = isSensitiveName(key)
      ? 'looks like a credential'
      : containsPrivateKey(value)
        ? 'holds a private key'
        : undefined;
    if (!why) continue;
    context.report({
      path: pointerOf('/data', key),
      atKey: true,
      message: `ConfigMap key ${key} ${why}: move it to a Secret`,
      data,
    });
  }
}

/**
 * `bp/secrets-in-env`: no credentials as literal environment values or in ConfigMaps (Polaris
 * `sensitiveContainerEnvVar`, `sensitiveConfigmapContent`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [secretsInEnv], kubernetesVersion: '1.35' });
 * ```
 */
export const secretsInEnv: Rule = {
  id: 'bp/secrets-in-env',
  category: 'security',
  severity: 'error',
  kinds: [...POD_KINDS, 'ConfigMap'],
  customResources: true,
  docs: {
    summary: 'Credentials are not written as literal env values or ConfigMap data.',
    details: `A password, token or private key written into a manifest is in Git history for good, readable by
everyone with access to the repository and to the ConfigMap or pod spec in the cluster. Store it in
a Secret (ideally one managed by an external secret store or sealed) and reference it with
\`valueFrom.secretKeyRef\` or \`envFrom.secretRef\`. Rotate any credential that was committed.

Matches Polaris \`sensitiveContainerEnvVar\` and \`sensitiveConfigmapContent\`: a literal \`env[].value\`
or a ConfigMap \`data\` entry fails when its name is \`AWS_SECRET_ACCESS_KEY\`,
\`GOOGLE_APPLICATION_CREDENTIALS\`, \`OCI_CLI_KEY_CONTENT\` or \`AZURE_…KEY\`, or contains \`password\`,
\`token\`, \`bearer\` or \`secret\` (all without regard to case), or when its value holds a PEM
private key header. Also kube-linter \`env-var-secret\`. Findings name the variable or key and point at
its key, never at the value. Init containers are checked too. Severity: error (Polaris: danger).`,
    upstream: [
      'polaris/sensitiveContainerEnvVar',
      'polaris/sensitiveConfigmapContent',
      'kube-linter/env-var-secret',
    ],
    examples: [
      {
        title: 'password read from a Secret',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: api:3.2.0
      env:
        - name: LOG_LEVEL
          value: info
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: api-db
              key: password
`,
        reports: [],
      },
      {
        title: 'literal password',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: api:3.2.0
      env:
        - name: LOG_LEVEL
          value: info
        - name: DB_PASSWORD
          value: hunter2
`,
        reports: ['/spec/containers/0/env/1/value'],
      },
      {
        title: 'ConfigMap with an API token',
        yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: api
data:
  api_url: https://api.example.com
  api_token: abc123
`,
        reports: ['/data/api_token'],
      },
    ],
  },
  check(resource, context) {
    if (isKind(resource, 'ConfigMap')) checkConfigMap(resource, context);
    else checkContainers(resource, context);
  },
};
