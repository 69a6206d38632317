import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const widget = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', generation: 2 },
  spec: { size: 3 },
  status: {
    observedGeneration: 2,
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Applied revision main@sha1:abc' },
    ],
  },
};

function withConditions(...conditions: unknown[]) {
  return patch(widget, { status: { conditions } });
}

describe('generic rule (kinds without a built-in check)', () => {
  runCases([
    {
      name: 'Ready=True → Healthy with its message',
      object: widget,
      want: { status: 'Healthy', message: 'Applied revision main@sha1:abc' },
    },
    {
      name: 'generation not observed → Progressing',
      object: patch(widget, { metadata: { generation: 3 } }),
      want: { status: 'Progressing', message: 'Waiting for generation 3 to be observed (observed 2)' },
    },
    {
      name: 'no observedGeneration: the conditions decide',
      object: patch(widget, { metadata: { generation: 3 }, status: { observedGeneration: undefined } }),
      want: 'Healthy',
    },
    {
      name: 'an observedGeneration that is not a number is not compared (Argo Rollouts writes a string)',
      object: patch(widget, { metadata: { generation: 3 }, status: { observedGeneration: '7c9f' } }),
      want: 'Healthy',
    },
    {
      name: 'Stalled=True → Degraded, over Ready=True',
      object: withConditions(
        { type: 'Ready', status: 'True' },
        { type: 'Stalled', status: 'True', reason: 'InvalidSpec', message: 'spec.size must be odd' },
      ),
      want: { status: 'Degraded', message: 'spec.size must be odd' },
    },
    {
      name: 'Stalled=True wins over Reconciling=True',
      object: withConditions(
        { type: 'Reconciling', status: 'True' },
        { type: 'Stalled', status: 'True', reason: 'X' },
      ),
      want: { status: 'Degraded', message: 'X' },
    },
    {
      name: 'Stalled=False is ignored',
      object: withConditions({ type: 'Stalled', status: 'False' }, { type: 'Ready', status: 'True' }),
      want: 'Healthy',
    },
    {
      name: 'Reconciling=True → Progressing, over Ready=True',
      object: withConditions(
        { type: 'Ready', status: 'True' },
        { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'Reconciliation in progress' },
      ),
      want: { status: 'Progressing', message: 'Reconciliation in progress' },
    },
    {
      name: 'Ready=False → Degraded with its message',
      object: withConditions({
        type: 'Ready',
        status: 'False',
        reason: 'BuildFailed',
        message: 'kustomize build failed',
      }),
      want: { status: 'Degraded', message: 'kustomize build failed' },
    },
    {
      name: 'Ready=False without a message → Degraded with the reason',
      object: withConditions({ type: 'Ready', status: 'False', reason: 'BuildFailed' }),
      want: { status: 'Degraded', message: 'BuildFailed' },
    },
    {
      name: 'Ready=False, reason Progressing → Progressing',
      object: withConditions({ type: 'Ready', status: 'False', reason: 'Progressing' }),
      want: 'Progressing',
    },
    {
      name: 'Ready=False, reason ProgressingWithRetry → Progressing',
      object: withConditions({ type: 'Ready', status: 'False', reason: 'ProgressingWithRetry' }),
      want: 'Progressing',
    },
    {
      name: 'Ready=False, reason DependencyNotReady → Progressing',
      object: withConditions({ type: 'Ready', status: 'False', reason: 'DependencyNotReady' }),
      want: 'Progressing',
    },
    {
      name: 'Ready=Unknown → Progressing',
      object: withConditions({
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: 'reconciling',
      }),
      want: { status: 'Progressing', message: 'reconciling' },
    },
    {
      name: 'Available=True without Ready → Healthy',
      object: withConditions({ type: 'Available', status: 'True' }),
      want: { status: 'Healthy' },
    },
    {
      name: 'Available=False without Ready → Degraded',
      object: withConditions({ type: 'Available', status: 'False', reason: 'NoEndpoints' }),
      want: 'Degraded',
    },
    {
      name: 'Ready is read before Available',
      object: withConditions(
        { type: 'Available', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'Broken' },
      ),
      want: 'Degraded',
    },
    { name: 'no status → null', object: patch(widget, { status: undefined }), want: null },
    { name: 'status that is not an object → null', object: patch(widget, { status: 'ok' }), want: null },
    {
      name: 'status without conditions → null',
      object: patch(widget, { status: { conditions: undefined } }),
      want: null,
    },
    {
      name: 'only conditions of other types → null',
      object: withConditions({ type: 'Synced', status: 'True' }),
      want: null,
    },
    {
      name: 'a Ready status that is not True/False/Unknown → null',
      object: withConditions({ type: 'Ready', status: 'Yes' }),
      want: null,
    },
    {
      name: 'conditions that are not a list → null (lenient)',
      object: patch(widget, { status: { conditions: 'Ready' } }),
      want: null,
    },
    {
      name: 'malformed entries are skipped',
      object: withConditions('Ready', null, { type: 'Ready', status: 'True' }),
      want: 'Healthy',
    },
  ]);
});
