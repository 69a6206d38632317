import { assessHealth } from '@shipshape/health';
import { describe, expect, it } from 'vitest';
import { configMap, deleting, deployment, patch, runCases } from './support.js';

const hookFinalizer = { finalizers: ['argocd.argoproj.io/hook-finalizer'] };

describe('inputs without a kind', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'Deployment'],
    ['an array', [deployment]],
    ['an empty object', {}],
    ['a kind that is not a string', { apiVersion: 'v1', kind: 5 }],
    ['an empty kind', { apiVersion: 'v1', kind: '' }],
  ])('%s → null', (_name, input) => {
    expect(assessHealth(input)).toBeNull();
  });

  it('takes null options as none', () => {
    expect(assessHealth(configMap, null)).toEqual(assessHealth(configMap));
  });
});

describe('kinds without health', () => {
  runCases([
    { name: 'ConfigMap → null', object: configMap, want: null },
    {
      name: 'Argo CD Application → null even with status.health (fixture application-healthy.yaml)',
      object: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        status: { health: { status: 'Healthy' } },
      },
      want: null,
    },
    {
      name: 'Argo CD Application → null even with conditions the generic rule would read',
      object: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { generation: 3 },
        status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'False' }] },
      },
      want: null,
    },
  ]);
});

describe('deletion', () => {
  runCases([
    {
      name: 'deletionTimestamp → Progressing "Pending deletion"',
      object: patch(deployment, deleting),
      want: { status: 'Progressing', message: 'Pending deletion' },
    },
    {
      name: 'deletionTimestamp on a kind without health → still Pending deletion',
      object: patch(configMap, deleting),
      want: { status: 'Progressing', message: 'Pending deletion' },
    },
    {
      name: 'a hook finalizer: the object is judged by its state',
      object: patch(patch(deployment, deleting), { metadata: hookFinalizer }),
      want: { status: 'Healthy' },
    },
    {
      name: 'a hook finalizer on a kind without health → null',
      object: patch(patch(configMap, deleting), { metadata: hookFinalizer }),
      want: null,
    },
    {
      name: 'another finalizer does not stop Pending deletion',
      object: patch(patch(deployment, deleting), {
        metadata: { finalizers: ['kubernetes.io/pvc-protection'] },
      }),
      want: 'Progressing',
    },
    {
      name: 'an empty deletionTimestamp is not set',
      object: patch(deployment, { metadata: { deletionTimestamp: '' } }),
      want: 'Healthy',
    },
    {
      name: 'a null deletionTimestamp is not set',
      object: patch(deployment, { metadata: { deletionTimestamp: null } }),
      want: 'Healthy',
    },
    {
      name: 'a Date deletionTimestamp is set',
      object: patch(deployment, { metadata: { deletionTimestamp: new Date('2026-01-01T00:00:00Z') } }),
      want: 'Progressing',
    },
  ]);
});

describe('errors become Unknown', () => {
  runCases([
    {
      name: 'a Pod without apiVersion → Unknown (no version to check)',
      object: { kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Running' } },
      want: { status: 'Unknown', message: 'unsupported Pod GVK: /, Kind=Pod' },
    },
    {
      name: 'metadata that is not an object → Unknown for a built-in kind',
      object: patch(deployment, { metadata: 'api' }),
      want: {
        status: 'Unknown',
        message: 'cannot read Deployment: metadata must be an object, got a string',
      },
    },
    {
      name: 'a step through a non-object → Unknown',
      object: patch(deployment, { spec: { strategy: 1 }, status: { conditions: [{ type: 7 }] } }),
      want: {
        status: 'Unknown',
        message: 'cannot read Deployment: status.conditions[0].type must be a string, got a number',
      },
    },
  ]);
});
