import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine } from '@shipshape/policy';
import { describe, expect, it } from 'vitest';
import { bpRule } from './bp-helpers.js';

// Reports hide the source lines of a finding marked `data.sensitive` (see @shipshape/report): the
// rule must mark every finding on a credential, and place it on the line that holds the value.

const VALUES = ['SUPERSECRET12', 'hunter2-supersecret', 'MIIEvQIBADANBgkqhkiG9w0B'];
const YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:3.2.0
          env:
            - name: DB_PASSWORD
              value: ${VALUES[0]}
            - name: TLS
              value: |
                -----BEGIN PRIVATE KEY-----
                ${VALUES[2]}
                -----END PRIVATE KEY-----
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {password: ${VALUES[1]}}
`;

function check() {
  const set = parseManifests([{ path: 'app.yaml', content: YAML }]);
  const engine = createPolicyEngine({
    rules: [bpRule('bp/secrets-in-env')],
    kubernetesVersion: '1.35',
    locator: set.locator,
  });
  return [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

describe('bp/secrets-in-env marks its findings sensitive', () => {
  it('on env values and ConfigMap data, at the key on the line of the value', () => {
    const found = check();
    const lines = YAML.split('\n');
    expect(
      found.map((d) => ({
        path: d.path,
        line: d.span?.start.line,
        column: d.span?.start.column,
        sensitive: d.data?.['sensitive'],
        text: lines[(d.span?.start.line ?? 0) - 1]?.trim(),
      })),
    ).toEqual([
      {
        path: '/spec/template/spec/containers/0/env/0/value',
        line: 13,
        column: 15,
        sensitive: true,
        text: `value: ${VALUES[0]}`,
      },
      {
        path: '/spec/template/spec/containers/0/env/1/value',
        line: 15,
        column: 15,
        sensitive: true,
        text: 'value: |',
      },
      {
        path: '/data/password',
        line: 24,
        column: 8,
        sensitive: true,
        text: `data: {password: ${VALUES[1]}}`,
      },
    ]);
  });

  it('names the variable or key in its message and data, never the value', () => {
    const found = check();
    expect(found.map((d) => d.message)).toEqual([
      'container api sets environment variable DB_PASSWORD to a literal value: read it from a Secret with valueFrom.secretKeyRef',
      'container api sets environment variable TLS to a literal private key: read it from a Secret with valueFrom.secretKeyRef',
      'ConfigMap key password looks like a credential: move it to a Secret',
    ]);
    const all = JSON.stringify(found);
    for (const value of [...VALUES, 'PRIVATE KEY-']) expect(all).not.toContain(value);
  });
});
