import { containersOf, dig, type HeldFinding, POD_KINDS, podSpecOf, type Rule } from '@shipshape/policy';
import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { bpRule } from './bp-helpers.js';

type Obj = Record<string, unknown>;

// The README's two custom rules; the registry one takes its registry as an option here.
const registry: Rule = {
  id: 'acme/registry',
  category: 'security',
  severity: 'error',
  options: {
    registry: {
      description: 'The registry images come from.',
      schema: { type: 'string', pattern: '^[a-z0-9.-]+$' },
      default: 'registry.acme.dev',
    },
  },
  docs: { summary: 'Images come from registry.acme.dev.', details: '…', examples: [] },
  check(resource, context) {
    const from = String(context.options['registry']);
    for (const c of containersOf(podSpecOf(resource))) {
      if (!String(c.container['image']).startsWith(`${from}/`)) {
        context.report({
          path: `${c.pointer}/image`,
          message: `container ${c.name} pulls from outside ${from}`,
        });
      }
    }
  },
};

function createNeedsService(): Rule {
  let pods: { namespace: string | undefined; app: string; finding: HeldFinding }[] = [];
  let services = new Set<string>();
  return {
    id: 'acme/needs-service',
    category: 'reliability',
    severity: 'warning',
    kinds: [...POD_KINDS, 'Service'],
    docs: { summary: 'Each app has a Service.', details: '…', examples: [] },
    check(resource, context) {
      const label = dig(resource.object, 'metadata', 'labels', 'app');
      const app = typeof label === 'string' ? label : '';
      if (resource.id.kind === 'Service') services.add(`${resource.id.namespace}/${app}`);
      else
        pods.push({
          namespace: resource.id.namespace,
          app,
          finding: context.hold({ path: '/metadata', message: `no Service for ${app}` }),
        });
    },
    finish(context) {
      for (const p of pods) if (!services.has(`${p.namespace}/${p.app}`)) context.report(p.finding);
      pods = [];
      services = new Set();
    },
  };
}

const pod = (app: string, image = 'registry.acme.dev/web:1.2'): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: app, labels: { app } },
  spec: { containers: [{ name: 'web', image }] },
});
const svc = (app: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: app, labels: { app } },
});

/** `[name, ok, problem]` of each outcome. */
function outcomes(rule: Rule, cases: Parameters<RuleTester['run']>[0]): unknown[] {
  return new RuleTester(rule).run(cases).map((o) => [o.name, o.ok, o.problem]);
}

describe('RuleTester', () => {
  it('counts only findings on the first resource in valid cases too, naming it when the case has several', () => {
    expect(
      outcomes(createNeedsService(), {
        valid: [
          { name: 'served, another pod unserved', resources: [pod('web'), svc('web'), pod('other')] },
          { name: 'unserved first', resources: [pod('other'), svc('web')] },
          { name: 'alone', resources: [pod('other')] },
        ],
        invalid: [
          {
            name: 'unserved first',
            resources: [pod('other'), svc('web'), pod('lone')],
            reports: ['/metadata'],
          },
          { name: 'served first', resources: [pod('web'), svc('web'), pod('lone')], reports: ['/metadata'] },
        ],
      }),
    ).toEqual([
      ['served, another pod unserved', true, undefined],
      [
        'unserved first',
        false,
        'expected no findings on the first resource (Pod/other), got /metadata "no Service for other"',
      ],
      // One resource: nothing to tell apart, so the message stays short.
      ['alone', false, 'expected no findings, got /metadata "no Service for other"'],
      ['unserved first', true, undefined],
      [
        'served first',
        false,
        'expected 1 finding(s) at /metadata of the first resource (Pod/web), got none (and 1 on other resources of the case: /metadata "no Service for lone" on Pod/lone)',
      ],
    ]);
  });

  it('names a resource in another namespace by its namespace too', () => {
    const inNamespace = (app: string, namespace: string) => ({
      ...pod(app),
      metadata: { name: app, namespace, labels: { app } },
    });
    expect(
      outcomes(createNeedsService(), {
        valid: [{ name: 'two namespaces', resources: [inNamespace('web', 'a'), inNamespace('web', 'b')] }],
      }),
    ).toEqual([
      [
        'two namespaces',
        false,
        'expected no findings on the first resource (Pod/web (namespace a)), got /metadata "no Service for web"',
      ],
    ]);
  });

  it('refuses a table that is not { valid, invalid } lists of cases, saying which part', () => {
    const tester = new RuleTester(registry);
    const run = (table: unknown) => () => tester.run(table as never);
    expect(run({ valid: { name: 'x', resources: [pod('web')] } })).toThrow(
      new TypeError('acme/registry: valid must be a list of cases, got an object'),
    );
    expect(run({ invalid: 'oops' })).toThrow(
      new TypeError('acme/registry: invalid must be a list of cases, got a string ("oops")'),
    );
    expect(run({ vaild: [{ name: 'x', resources: [pod('web')] }] })).toThrow(
      new TypeError('acme/registry: a table has no field vaild (fields: valid, invalid)'),
    );
    expect(run({ valid: [], invalid: [] })).toThrow(
      new TypeError('acme/registry: the table has no cases (it would pass for any rule)'),
    );
    expect(run(undefined)).toThrow(
      new TypeError('acme/registry: a table is { valid?: [...], invalid?: [...] }, got nothing'),
    );
  });

  it('fails a malformed case naming its index, its name when it has one, and the shape expected', () => {
    const image = '/spec/containers/0/image';
    expect(
      outcomes(registry, {
        valid: [
          null as never,
          { name: 'one resource', resources: pod('web') as never },
          { resources: [pod('web')] } as never,
          { name: 'typo', resources: [pod('web')], option: {} } as never,
          { name: 'valid with a report', resources: [pod('web')], reports: [image] } as never,
          { name: 'options list', resources: [pod('web')], options: [] as never },
          { name: 'version number', resources: [pod('web')], kubernetesVersion: 1.33 as never },
        ],
        invalid: [
          { name: 'one report', resources: [pod('web', 'nginx')], reports: image as never },
          { name: 'no reports', resources: [pod('web', 'nginx')] } as never,
          { name: 'a number', resources: [pod('web', 'nginx')], reports: [42 as never] },
          { name: 'no slash', resources: [pod('web', 'nginx')], reports: ['spec/containers/0/image'] },
          {
            name: 'bad message',
            resources: [pod('web', 'nginx')],
            reports: [{ path: image, message: 1 as never }],
          },
          {
            name: 'extra field',
            resources: [pod('web', 'nginx')],
            reports: [{ path: image, msg: 'x' } as never],
          },
        ],
      }),
    ).toEqual([
      ['valid[0]', false, 'valid[0] is malformed: a case is { name, resources, … }, got null'],
      [
        'one resource',
        false,
        'valid[1] is malformed: resources must be a list of resource objects, got an object (one resource too: resources: [resource])',
      ],
      ['valid[2]', false, 'valid[2] is malformed: name must be a non-empty string, got nothing'],
      [
        'typo',
        false,
        'valid[3] is malformed: a case has no field option (fields: name, resources, options, kubernetesVersion, reports)',
      ],
      [
        'valid with a report',
        false,
        'valid[4] is malformed: a valid case expects no reports (a case with reports belongs in invalid)',
      ],
      [
        'options list',
        false,
        'valid[5] is malformed: options must be an object of option values by name, got a list',
      ],
      [
        'version number',
        false,
        "valid[6] is malformed: kubernetesVersion must be a string such as '1.33', got a number (1.33)",
      ],
      [
        'one report',
        false,
        'invalid[0] is malformed: reports must be a list of JSON Pointers or { path, message? } objects, got a string ("/spec/containers/0/image") (one report too: reports: ["/spec/containers/0/image"])',
      ],
      [
        'no reports',
        false,
        'invalid[1] is malformed: reports must be a list of JSON Pointers or { path, message? } objects, got nothing',
      ],
      [
        'a number',
        false,
        'invalid[2] is malformed: reports[0] must be a JSON Pointer or { path, message? }, got a number (42)',
      ],
      [
        'no slash',
        false,
        'invalid[3] is malformed: reports[0] is not a JSON Pointer: "spec/containers/0/image" (one starts with /, such as /spec/replicas; \'\' is the whole resource)',
      ],
      [
        'bad message',
        false,
        'invalid[4] is malformed: reports[0] message must be a string or a RegExp, got a number (1)',
      ],
      ['extra field', false, 'invalid[5] is malformed: reports[0] has no field msg (fields: path, message)'],
    ]);
  });

  it('lists malformed cases with the others in assert, and findings() throws naming the case', () => {
    const tester = new RuleTester(registry);
    expect(() =>
      tester.assert({
        valid: [
          { name: 'own registry', resources: [pod('web')] },
          { name: 'one resource', resources: pod('web') as never },
        ],
      }),
    ).toThrow(
      'acme/registry: 1 case(s) failed:\n  - one resource: valid[1] is malformed: resources must be a list of resource objects, got an object (one resource too: resources: [resource])',
    );
    expect(() => tester.findings({ name: 'one resource', resources: pod('web') as never })).toThrow(
      new TypeError(
        'one resource: the case is malformed: resources must be a list of resource objects, got an object (one resource too: resources: [resource])',
      ),
    );
  });

  it('refuses an expected report without a path: the path is what a report is', () => {
    expect(
      outcomes(registry, {
        invalid: [
          {
            name: 'message only',
            resources: [pod('web', 'nginx')],
            reports: [{ message: /outside/ } as never],
          },
          { name: 'path null', resources: [pod('web', 'nginx')], reports: [{ path: null as never }] },
          {
            name: 'root',
            resources: [pod('web', 'nginx')],
            reports: [{ path: '', message: 'x' }],
          },
        ],
      }),
    ).toEqual([
      [
        'message only',
        false,
        "invalid[0] is malformed: reports[0] has no path: each expected report names its JSON Pointer ('' for the whole resource)",
      ],
      [
        'path null',
        false,
        'invalid[1] is malformed: reports[0] path must be a JSON Pointer string, got null',
      ],
      [
        'root',
        false,
        'finding 1: expected path (root), got /spec/containers/0/image (container web pulls from outside registry.acme.dev)',
      ],
    ]);
  });

  it('checks option values against the option schema, and option names against the rule, as the CLI does', () => {
    const nginx = [pod('web', 'nginx:1.27')];
    expect(
      outcomes(registry, {
        valid: [
          { name: 'a number', resources: [pod('web')], options: { registry: 42 } },
          { name: 'a bad host', resources: [pod('web')], options: { registry: 'Registry!' } },
          { name: 'undefined', resources: [pod('web')], options: { registry: undefined } },
          { name: 'typo', resources: [pod('web')], options: { regsitry: 'x' } },
          {
            name: 'other registry',
            resources: [pod('web', 'quay.io/web:1')],
            options: { registry: 'quay.io' },
          },
        ],
        invalid: [{ name: 'a list', resources: nginx, options: { registry: ['quay.io'] }, reports: ['/x'] }],
      }),
    ).toEqual([
      ['a number', false, 'options.registry: the value must be string'],
      ['a bad host', false, 'options.registry: the value must match pattern "^[a-z0-9.-]+$"'],
      ['undefined', false, 'options.registry: the value is undefined (leave the option out for its default)'],
      ['typo', false, 'rule acme/registry has no option regsitry (options: registry)'],
      ['other registry', true, undefined],
      ['a list', false, 'options.registry: the value must be string'],
    ]);
    // A built-in rule's schema: items from an enum, at least one, no duplicates.
    const pullPolicy = bpRule('bp/image-pull-policy');
    const container = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    expect(
      outcomes(pullPolicy, {
        valid: [
          { name: 'unknown', resources: [container], options: { allowed: ['Always', 'Sometimes'] } },
          { name: 'empty', resources: [container], options: { allowed: [] } },
          { name: 'twice', resources: [container], options: { allowed: ['Always', 'Never', 'Always'] } },
          { name: 'fine', resources: [container], options: { allowed: ['Always', 'IfNotPresent'] } },
        ],
      }),
    ).toEqual([
      [
        'unknown',
        false,
        'options.allowed: /1 must be equal to one of the allowed values ("Always", "IfNotPresent", "Never")',
      ],
      ['empty', false, 'options.allowed: the value must NOT have fewer than 1 items'],
      [
        'twice',
        false,
        'options.allowed: the value must NOT have duplicate items (items ## 0 and 2 are identical)',
      ],
      ['fine', true, undefined],
    ]);
  });

  it('checks options of object schemas: required, closed, composites, bounds', () => {
    const limits: Rule = {
      id: 'acme/limits',
      category: 'reliability',
      severity: 'warning',
      options: {
        limits: {
          description: 'Limits.',
          schema: {
            type: 'object',
            required: ['cpu'],
            additionalProperties: false,
            properties: {
              cpu: {
                anyOf: [
                  { type: 'integer', minimum: 1 },
                  { type: 'string', maxLength: 4 },
                ],
              },
              ratio: { type: 'number', exclusiveMaximum: 1, multipleOf: 0.25 },
              unit: { type: 'string', maxLength: 2 },
            },
          },
          default: { cpu: 1 },
        },
      },
      docs: { summary: 'Limits.', details: '…', examples: [] },
    };
    const p = [pod('web')];
    expect(
      outcomes(limits, {
        valid: [
          { name: 'missing and extra', resources: p, options: { limits: { memory: '1Gi' } } },
          { name: 'no branch', resources: p, options: { limits: { cpu: 0 } } },
          { name: 'too long', resources: p, options: { limits: { cpu: '1000m' } } },
          { name: 'ratio', resources: p, options: { limits: { cpu: 2, ratio: 1 } } },
          { name: 'step', resources: p, options: { limits: { cpu: 2, ratio: 0.3 } } },
          { name: 'unit', resources: p, options: { limits: { cpu: 2, unit: 'cores' } } },
          { name: 'fine', resources: p, options: { limits: { cpu: '500m', ratio: 0.75 } } },
        ],
      }),
    ).toEqual([
      [
        'missing and extra',
        false,
        "options.limits: the value must have required property 'cpu'; the value must NOT have additional properties",
      ],
      ['no branch', false, 'options.limits: /cpu must match a schema in anyOf; /cpu must be >= 1'],
      [
        'too long',
        false,
        // The first of the branches that came closest, as the CLI reports it.
        'options.limits: /cpu must match a schema in anyOf; /cpu must be integer',
      ],
      ['ratio', false, 'options.limits: /ratio must be < 1'],
      ['step', false, 'options.limits: /ratio must be a multiple of 0.25'],
      ['unit', false, 'options.limits: /unit must NOT have more than 2 characters'],
      ['fine', true, undefined],
    ]);
  });

  it('refuses a Kubernetes version that is not 1.<minor>, and hands the rule the one it was given', () => {
    const seen: string[] = [];
    const version: Rule = {
      ...registry,
      id: 'acme/version',
      check(_resource, context) {
        seen.push(context.kubernetesVersion);
      },
    };
    const one = (kubernetesVersion: string) => ({
      name: kubernetesVersion,
      resources: [pod('web')],
      kubernetesVersion,
    });
    expect(
      outcomes(version, { valid: ['banana', 'v1.33', '1.33.2', '2.1', '1.033', '1.33', '1.0'].map(one) }),
    ).toEqual([
      [
        'banana',
        false,
        'kubernetesVersion "banana" is not a Kubernetes version 1.<minor>, such as 1.33 (the form rules see)',
      ],
      [
        'v1.33',
        false,
        'kubernetesVersion "v1.33" is not a Kubernetes version 1.<minor>, such as 1.33 (the form rules see)',
      ],
      [
        '1.33.2',
        false,
        'kubernetesVersion "1.33.2" is not a Kubernetes version 1.<minor>, such as 1.33 (the form rules see)',
      ],
      [
        '2.1',
        false,
        'kubernetesVersion "2.1" is not a Kubernetes version 1.<minor>, such as 1.33 (the form rules see)',
      ],
      [
        '1.033',
        false,
        'kubernetesVersion "1.033" is not a Kubernetes version 1.<minor>, such as 1.33 (the form rules see)',
      ],
      ['1.33', true, undefined],
      ['1.0', true, undefined],
    ]);
    expect(seen).toEqual(['1.33', '1.0']);
  });
});
