import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

/** A controller of `kind` with this selector and these template labels. */
function controller(
  kind: string,
  apiVersion: string,
  selector: unknown,
  labels: Obj | undefined,
  extra: Obj = {},
): Obj {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web' },
    spec: {
      ...(selector === undefined ? {} : { selector }),
      ...extra,
      template: {
        ...(labels === undefined ? {} : { metadata: { labels } }),
        spec: { containers: [container('web')] },
      },
    },
  };
}

describe('bp/selector-matches-template', () => {
  const tester = new RuleTester(bpRule('bp/selector-matches-template'));

  it('accepts selectors that select the template, as the API server does', () => {
    tester.assert({
      valid: [
        {
          name: 'matchLabels subset',
          resources: [
            controller('Deployment', 'apps/v1', { matchLabels: { app: 'web' } }, { app: 'web', tier: 'a' }),
          ],
        },
        {
          name: 'expressions',
          resources: [
            controller(
              'StatefulSet',
              'apps/v1',
              {
                matchExpressions: [
                  { key: 'app', operator: 'In', values: ['web', 'api'] },
                  { key: 'canary', operator: 'DoesNotExist' },
                  { key: 'tier', operator: 'NotIn', values: ['db'] },
                  { key: 'app', operator: 'Exists' },
                ],
              },
              { app: 'web', tier: 'front' },
            ),
          ],
        },
        {
          name: 'apps/v1 selector missing (schema reports it)',
          resources: [controller('Deployment', 'apps/v1', undefined, { app: 'web' })],
        },
        {
          name: 'extensions/v1beta1 selector defaulted',
          resources: [controller('Deployment', 'extensions/v1beta1', undefined, { app: 'web' })],
        },
        {
          name: 'ReplicationController map selector defaulted or matching',
          resources: [
            controller('ReplicationController', 'v1', undefined, { app: 'web' }),
            controller('ReplicationController', 'v1', {}, { app: 'web' }),
            controller('ReplicationController', 'v1', { app: 'web' }, { app: 'web', x: 'y' }),
          ],
        },
        {
          name: 'Job selector is generated unless manualSelector',
          resources: [
            controller('Job', 'batch/v1', { matchLabels: { app: 'other' } }, { app: 'web' }),
            controller('Job', 'batch/v1', {}, { app: 'web' }, { manualSelector: true }),
          ],
        },
        {
          name: 'a selector that is not one is left to the schema check',
          resources: [
            controller('Deployment', 'apps/v1', { matchExpressions: [{ key: 'a', operator: 'Near' }] }, {}),
          ],
        },
        {
          name: 'a custom resource with the name of a kind',
          resources: [
            controller('Deployment', 'example.com/v1', { matchLabels: { app: 'x' } }, { app: 'web' }),
          ],
        },
      ],
      invalid: [
        {
          name: 'label renamed on one side',
          resources: [
            controller('Deployment', 'apps/v1', { matchLabels: { app: 'web' } }, { app: 'webshop' }),
          ],
          reports: [
            {
              path: '/spec/selector',
              message:
                "selector app=web does not select the pod template's labels (app=webshop): the API server refuses this Deployment; make the selector match spec.template.metadata.labels",
            },
          ],
        },
        {
          name: 'template without labels',
          resources: [controller('DaemonSet', 'apps/v1', { matchLabels: { app: 'agent' } }, undefined)],
          reports: [{ path: '/spec/selector', message: /\(none\)/ }],
        },
        {
          name: 'expression not met',
          resources: [
            controller(
              'ReplicaSet',
              'apps/v1',
              {
                matchLabels: { app: 'web' },
                matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
              },
              { app: 'web', tier: 'c' },
            ),
          ],
          reports: [{ path: '/spec/selector', message: /^selector app=web,tier In \(a,b\) does not select/ }],
        },
        {
          name: 'empty selector',
          resources: [controller('Deployment', 'apps/v1', {}, { app: 'web' })],
          reports: [
            { path: '/spec/selector', message: /^selector is empty: the API server refuses this Deployment/ },
          ],
        },
        {
          name: 'empty selector of an older apps version',
          resources: [controller('StatefulSet', 'apps/v1beta1', { matchLabels: {} }, { app: 'web' })],
          reports: [{ path: '/spec/selector', message: /refuses this StatefulSet/ }],
        },
        {
          name: 'ReplicationController map',
          resources: [controller('ReplicationController', 'v1', { app: 'web', tier: 'x' }, { app: 'web' })],
          reports: [{ path: '/spec/selector', message: /^selector app=web,tier=x does not select/ }],
        },
        {
          name: 'CronJob with manualSelector',
          resources: [
            {
              apiVersion: 'batch/v1',
              kind: 'CronJob',
              metadata: { name: 'nightly' },
              spec: {
                schedule: '@daily',
                jobTemplate: {
                  spec: {
                    manualSelector: true,
                    selector: { matchLabels: { job: 'nightly' } },
                    template: {
                      metadata: { labels: { job: 'daily' } },
                      spec: { containers: [container('n')] },
                    },
                  },
                },
              },
            },
          ],
          reports: [{ path: '/spec/jobTemplate/spec/selector', message: /refuses this CronJob/ }],
        },
      ],
    });
  });

  it('is an error: the API server refuses the object', () => {
    const [found] = tester.findings({
      name: 'mismatch',
      resources: [controller('Deployment', 'apps/v1', { matchLabels: { a: 'b' } }, { a: 'c' })],
    });
    expect(found?.severity).toBe('error');
  });
});

describe('bp/env-duplicates', () => {
  const tester = new RuleTester(bpRule('bp/env-duplicates'));
  const env = (...names: string[]) => names.map((name, i) => ({ name, value: String(i) }));

  it('reports every repeated variable at its entry, naming the first', () => {
    tester.assert({
      valid: [
        { name: 'distinct', resources: [pod('a', [container('a', { env: env('A', 'B', 'C') })])] },
        {
          name: 'the same name in two containers, and envFrom',
          resources: [
            deployment('a', [
              container('a', { env: env('A'), envFrom: [{ configMapRef: { name: 'c' } }] }),
              container('b', { env: env('A') }),
            ]),
          ],
        },
        { name: 'names differing in case', resources: [pod('a', [container('a', { env: env('a', 'A') })])] },
      ],
      invalid: [
        {
          name: 'twice and three times',
          resources: [pod('a', [container('a', { env: env('A', 'B', 'A', 'C', 'A') })])],
          reports: [
            {
              path: '/spec/containers/0/env/2/name',
              message:
                'container a sets environment variable A again (first at env[0]): the last entry wins and hides the first; keep one',
            },
            { path: '/spec/containers/0/env/4/name', message: /first at env\[0\]/ },
          ],
        },
        {
          name: 'init container of a Deployment',
          resources: [
            deployment('a', [container('a')], {
              spec: {
                initContainers: [
                  container('setup', {
                    env: [
                      { name: 'X', value: '1' },
                      { name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                    ],
                  }),
                ],
              },
            }),
          ],
          reports: [
            {
              path: '/spec/template/spec/initContainers/0/env/1/name',
              message: /^init container setup sets/,
            },
          ],
        },
      ],
    });
  });
});
