import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'migrate', namespace: 'db' },
  spec: {
    backoffLimit: 0,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm' }] } },
  },
  status: { active: 1, startTime: '2026-01-01T00:00:00Z' },
};

function conditions(...list: Record<string, string>[]) {
  return { status: { conditions: list } };
}

describe('Job', () => {
  runCases([
    { name: 'running → Progressing', object: job, want: { status: 'Progressing' } },
    { name: 'no status → Progressing', object: patch(job, { status: undefined }), want: 'Progressing' },
    {
      name: 'Complete → Healthy',
      object: patch(job, conditions({ type: 'Complete', status: 'True' })),
      want: { status: 'Healthy' },
    },
    {
      name: 'Failed → Degraded with its message',
      object: patch(
        job,
        conditions({
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'backoff limit reached',
        }),
      ),
      want: { status: 'Degraded', message: 'backoff limit reached' },
    },
    {
      name: 'Failed wins over Complete',
      object: patch(
        job,
        conditions({ type: 'Complete', status: 'True' }, { type: 'Failed', status: 'True' }),
      ),
      want: 'Degraded',
    },
    {
      name: 'Suspended=True → Suspended, without a message (upstream quirk)',
      object: patch(
        job,
        conditions({ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }),
      ),
      want: { status: 'Suspended' },
    },
    {
      name: 'Suspended=False (resumed) → Healthy, as upstream',
      object: patch(
        job,
        conditions({ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }),
      ),
      want: { status: 'Healthy', message: 'Job resumed' },
    },
    {
      name: 'other conditions do not complete a Job',
      object: patch(job, conditions({ type: 'FailureTarget', status: 'True' })),
      want: 'Progressing',
    },
    { name: 'batch/v1beta1 → Unknown', object: patch(job, { apiVersion: 'batch/v1beta1' }), want: 'Unknown' },
  ]);
});

const cronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'report', namespace: 'ops' },
  spec: { schedule: '0 * * * *', suspend: false, jobTemplate: { spec: {} } },
  status: {},
};

const ran = { lastScheduleTime: '2026-01-01T10:00:00Z', lastSuccessfulTime: '2026-01-01T10:00:42Z' };

describe('CronJob', () => {
  runCases([
    {
      name: 'suspended → Suspended',
      object: patch(cronJob, { spec: { suspend: true }, status: ran }),
      want: { status: 'Suspended', message: 'CronJob is Suspended' },
    },
    {
      name: 'no status → Progressing',
      object: patch(cronJob, { status: undefined }),
      want: { status: 'Progressing', message: 'Waiting for CronJob' },
    },
    {
      name: 'never scheduled → Healthy',
      object: cronJob,
      want: { status: 'Healthy', message: 'CronJob has not been scheduled yet' },
    },
    {
      name: 'last run succeeded → Healthy',
      object: patch(cronJob, { status: ran }),
      want: { status: 'Healthy', message: 'CronJob has completed its last execution successfully' },
    },
    {
      name: 'scheduled, never succeeded → Healthy (the first run may still be going)',
      object: patch(cronJob, { status: { lastScheduleTime: '2026-01-01T10:00:00Z' } }),
      want: { status: 'Healthy', message: 'The CronJob never completed successfully. It may not be healthy' },
    },
    {
      name: 'a Job running → Healthy',
      object: patch(cronJob, {
        status: {
          ...ran,
          lastScheduleTime: '2026-01-01T11:00:00Z',
          active: [{ kind: 'Job', name: 'report-1' }],
        },
      }),
      want: {
        status: 'Healthy',
        message: 'The job is running. Its last execution may not have been successful',
      },
    },
    {
      name: 'last run failed (success older than schedule, nothing running) → Degraded',
      object: patch(cronJob, { status: { ...ran, lastScheduleTime: '2026-01-01T11:00:00Z' } }),
      want: { status: 'Degraded', message: 'CronJob has not completed its last execution successfully' },
    },
    {
      name: 'success at the very time of the schedule → Healthy',
      object: patch(cronJob, {
        status: { lastScheduleTime: '2026-01-01T10:00:00Z', lastSuccessfulTime: '2026-01-01T10:00:00Z' },
      }),
      want: 'Healthy',
    },
    {
      name: 'times compared as instants, not text',
      object: patch(cronJob, {
        status: { lastScheduleTime: '2026-01-01T10:00:00Z', lastSuccessfulTime: '2026-01-01T11:30:00+01:00' },
      }),
      want: 'Healthy',
    },
    {
      name: 'Date values (from YAML timestamps) are read too',
      object: patch(cronJob, {
        status: {
          lastScheduleTime: new Date('2026-01-01T11:00:00Z'),
          lastSuccessfulTime: new Date('2026-01-01T10:00:00Z'),
        },
      }),
      want: 'Degraded',
    },
    {
      name: 'a time that is not a time → Unknown',
      object: patch(cronJob, { status: { lastScheduleTime: 'yesterday' } }),
      want: {
        status: 'Unknown',
        message: 'cannot read CronJob: status.lastScheduleTime must be an RFC 3339 time, got a string',
      },
    },
    {
      name: 'batch/v1beta1 → same rule',
      object: patch(cronJob, { apiVersion: 'batch/v1beta1', spec: { suspend: true } }),
      want: 'Suspended',
    },
  ]);
});

const workflow = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name: 'build-x7k' },
  spec: { entrypoint: 'main' },
  status: { phase: 'Running', message: 'step 2 of 3' },
};

describe('Argo Workflow', () => {
  runCases([
    {
      name: 'Running → Progressing',
      object: workflow,
      want: { status: 'Progressing', message: 'step 2 of 3' },
    },
    {
      name: 'no phase yet → Progressing',
      object: patch(workflow, { status: undefined }),
      want: { status: 'Progressing' },
    },
    {
      name: 'Pending → Progressing',
      object: patch(workflow, { status: { phase: 'Pending' } }),
      want: 'Progressing',
    },
    {
      name: 'Succeeded → Healthy',
      object: patch(workflow, { status: { phase: 'Succeeded' } }),
      want: 'Healthy',
    },
    { name: 'Failed → Degraded', object: patch(workflow, { status: { phase: 'Failed' } }), want: 'Degraded' },
    { name: 'Error → Degraded', object: patch(workflow, { status: { phase: 'Error' } }), want: 'Degraded' },
    {
      name: 'another phase → Unknown',
      object: patch(workflow, { status: { phase: 'Skipped' } }),
      want: 'Unknown',
    },
  ]);
});
