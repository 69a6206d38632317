import { assessHealth, type CustomHealthCheck, type Health, isHealthStatus } from '@shipshape/health';
import { describe, expect, it, vi } from 'vitest';
import { configMap, deleting, deployment, patch, runCases } from './support.js';

function customCheck(group: string, kind: string, result: Health | null): CustomHealthCheck {
  return { group, kind, check: () => result };
}

const degraded: Health = { status: 'Degraded', message: 'custom says no' };

describe('custom checks', () => {
  runCases([
    {
      name: 'override a built-in',
      object: deployment,
      options: { checks: [customCheck('apps', 'Deployment', degraded)] },
      want: degraded,
    },
    {
      name: 'a check that returns null hands over to the built-in',
      object: deployment,
      options: { checks: [customCheck('apps', 'Deployment', null)] },
      want: { status: 'Healthy' },
    },
    {
      name: 'a check that returns null hands over to the next matching check',
      object: deployment,
      options: {
        checks: [customCheck('apps', 'Deployment', null), customCheck('apps', 'Deployment', degraded)],
      },
      want: degraded,
    },
    {
      name: 'the first check that answers wins',
      object: deployment,
      options: {
        checks: [
          customCheck('apps', 'Deployment', degraded),
          customCheck('apps', 'Deployment', { status: 'Healthy' }),
        ],
      },
      want: degraded,
    },
    {
      name: 'a check for another group does not apply',
      object: deployment,
      options: { checks: [customCheck('extensions', 'Deployment', degraded)] },
      want: { status: 'Healthy' },
    },
    {
      name: 'group "" is the core group',
      object: configMap,
      options: { checks: [customCheck('', 'ConfigMap', { status: 'Healthy', message: 'present' })] },
      want: { status: 'Healthy', message: 'present' },
    },
    {
      name: 'kind "*" matches every kind of the group',
      object: deployment,
      options: { checks: [customCheck('apps', '*', degraded)] },
      want: degraded,
    },
    {
      name: 'an exact kind is tried before "*", whatever the order given',
      object: deployment,
      options: {
        checks: [
          customCheck('apps', '*', degraded),
          customCheck('apps', 'Deployment', { status: 'Suspended' }),
        ],
      },
      want: { status: 'Suspended' },
    },
    {
      name: 'a custom check for a custom resource wins over the generic rule',
      object: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      options: { checks: [customCheck('example.com', 'Widget', degraded)] },
      want: degraded,
    },
    {
      name: 'an empty message is left out',
      object: deployment,
      options: { checks: [customCheck('apps', 'Deployment', { status: 'Degraded', message: '' })] },
      want: { status: 'Degraded' },
    },
    {
      name: 'a check that throws → Unknown with the error message',
      object: deployment,
      options: {
        checks: [
          {
            group: 'apps',
            kind: 'Deployment',
            check: () => {
              throw new Error('cannot parse spec.template');
            },
          },
        ],
      },
      want: { status: 'Unknown', message: 'cannot parse spec.template' },
    },
    {
      name: 'a check that throws a string → Unknown with it',
      object: deployment,
      options: {
        checks: [
          {
            group: 'apps',
            kind: 'Deployment',
            check: () => {
              // A non-Error throw is what the case is about.
              // eslint-disable-next-line @typescript-eslint/only-throw-error
              throw 'bad';
            },
          },
        ],
      },
      want: { status: 'Unknown', message: 'bad' },
    },
    {
      name: 'a check that returns a status outside HEALTH_STATUSES → Unknown',
      object: deployment,
      options: {
        checks: [
          { group: 'apps', kind: 'Deployment', check: () => ({ status: 'Fine' }) as unknown as Health },
        ],
      },
      want: {
        status: 'Unknown',
        message: 'custom health check for apps/Deployment returned no valid health status',
      },
    },
    {
      name: 'a check that returns a message that is not a string → Unknown',
      object: deployment,
      options: {
        checks: [
          {
            group: 'apps',
            kind: 'Deployment',
            check: () => ({ status: 'Healthy', message: 3 }) as unknown as Health,
          },
        ],
      },
      want: 'Unknown',
    },
  ]);

  it('is not called while the object is pending deletion', () => {
    const check = vi.fn(() => degraded);
    const got = assessHealth(patch(deployment, deleting), {
      checks: [{ group: 'apps', kind: 'Deployment', check }],
    });
    expect(got?.message).toBe('Pending deletion');
    expect(check).not.toHaveBeenCalled();
  });

  it('receives the object itself and only for its group and kind', () => {
    const seen = vi.fn<CustomHealthCheck['check']>(() => null);
    const other = vi.fn<CustomHealthCheck['check']>(() => null);
    assessHealth(deployment, {
      checks: [
        { group: 'apps', kind: 'Deployment', check: seen },
        { group: 'apps', kind: 'StatefulSet', check: other },
      ],
    });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0]?.[0]).toBe(deployment);
    expect(other).not.toHaveBeenCalled();
  });
});

describe('the README example of a custom check', () => {
  // Kept word for word in README.md and on CustomHealthCheck: if it stops compiling or working, so does the doc.
  const application: CustomHealthCheck = {
    group: 'argoproj.io', // '' for the core group
    kind: 'Application', // or '*' for every kind of the group
    check(object) {
      const health = (object['status'] as { health?: { status?: unknown; message?: string } } | undefined)
        ?.health;
      return isHealthStatus(health?.status) ? { status: health.status, message: health.message } : null;
    },
  };
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'child' } };

  runCases([
    {
      name: "restores an Application's own health",
      object: patch(app, { status: { health: { status: 'Degraded', message: 'child is broken' } } }),
      options: { checks: [application] },
      want: { status: 'Degraded', message: 'child is broken' },
    },
    {
      name: 'an Application without a health status stays null',
      object: patch(app, { status: { sync: { status: 'Synced' } } }),
      options: { checks: [application] },
      want: null,
    },
  ]);
});
