import { parseManifests } from '@shipshape/manifests';
import {
  containersOf,
  createPolicyEngine,
  type HeldFinding,
  loadPack,
  matchesRule,
  POD_KINDS,
  type PolicyEngineOptions,
  packConflict,
  packRules,
  podSpecOf,
  pssRules,
  type Rule,
  type RuleContext,
} from '@shipshape/policy';
import { asResource, RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';

const noLatest: Rule = {
  id: 'custom/no-latest',
  category: 'reliability',
  severity: 'warning',
  options: { tag: { description: 'the forbidden tag', schema: { type: 'string' }, default: 'latest' } },
  docs: { summary: 'Images are pinned.', details: 'Pin images.', examples: [] },
  check(resource, context) {
    for (const c of containersOf(podSpecOf(resource))) {
      if (String(c.container['image']).endsWith(`:${String(context.options['tag'])}`)) {
        context.report({
          path: `${c.pointer}/image`,
          message: `container ${c.name} uses the ${String(context.options['tag'])} tag`,
        });
      }
    }
  },
};

// The same finding as noLatest, with data.
const withData: Rule['check'] = (resource, context) => {
  for (const c of containersOf(podSpecOf(resource))) {
    context.report({
      path: `${c.pointer}/image`,
      message: `container ${c.name}`,
      data: { image: c.container['image'] },
    });
  }
};

// Counts Services, and reports every Service when the repository has more than one.
const oneService: Rule = {
  id: 'custom/one-service',
  category: 'hygiene',
  severity: 'info',
  docs: { summary: 'One Service.', details: '…', examples: [] },
  ...(() => {
    const seen: import('@shipshape/core').Resource[] = [];
    return {
      check(resource: import('@shipshape/core').Resource) {
        if (resource.id.kind === 'Service') seen.push(resource);
      },
      finish(context: import('@shipshape/policy').FinishContext) {
        if (seen.length > 1)
          for (const resource of seen)
            context.report({ resource, path: '/metadata/name', message: 'one of several Services' });
      },
    };
  })(),
};

const throwing: Rule = {
  id: 'custom/broken',
  category: 'hygiene',
  severity: 'error',
  docs: { summary: 'Broken.', details: '…', examples: [] },
  check() {
    throw new Error('boom');
  },
};

const deployment = (image: string, annotations?: Record<string, string>) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop${
    annotations
      ? `\n  annotations:\n${Object.entries(annotations)
          .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
          .join('\n')}`
      : ''
  }
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${image}
`;

function run(text: string, rules: Rule[], options: Partial<Parameters<typeof createPolicyEngine>[0]> = {}) {
  const set = parseManifests([{ path: 'apps/web.yaml', content: text }]);
  const engine = createPolicyEngine({ rules, kubernetesVersion: '1.33', locator: set.locator, ...options });
  return [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

/** Two Services, the first excepted from `custom/one-service` by its annotation. */
const TWO_SERVICES = `apiVersion: v1
kind: Service
metadata: {name: a, annotations: {shipshape.dev/exceptions: "custom/one-service: legacy name"}}
---
apiVersion: v1
kind: Service
metadata: {name: b}
`;

describe('createPolicyEngine', () => {
  it('turns findings into diagnostics with the rule id, severity, resource and position', () => {
    const [d, ...rest] = run(deployment('nginx:latest'), [noLatest]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'custom/no-latest',
      severity: 'warning',
      message: 'container app uses the latest tag',
      path: '/spec/template/spec/containers/0/image',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      span: { path: 'apps/web.yaml', start: { line: 11, column: 18 } },
    });
  });

  it('applies severity overrides, pack wildcards, off, and options over defaults', () => {
    const text = deployment('nginx:edge');
    expect(run(text, [noLatest])).toEqual([]);
    const withOption = run(text, [noLatest], {
      settings: { 'custom/no-latest': { options: { tag: 'edge' }, severity: 'error' } },
    });
    expect(withOption.map((d) => [d.severity, d.message])).toEqual([
      ['error', 'container app uses the edge tag'],
    ]);
    expect(
      run(deployment('nginx:latest'), [noLatest], { settings: { 'custom/*': { severity: 'info' } } })[0]
        ?.severity,
    ).toBe('info');
    expect(
      run(deployment('nginx:latest'), [noLatest], { settings: { 'custom/*': { severity: 'off' } } }),
    ).toEqual([]);
  });

  it('marks findings excepted by the resource annotation as suppressed, with the reason', () => {
    const text = deployment('nginx:latest', {
      'shipshape.dev/exceptions': 'custom/no-latest: demo image, rebuilt nightly',
    });
    const [d, ...rest] = run(text, [noLatest]);
    expect(rest).toEqual([]);
    expect(d?.suppressed).toEqual({ by: 'annotation', reason: 'demo image, rebuilt nightly' });
    // With annotations disallowed, the finding is an ordinary one again.
    expect(run(text, [noLatest], { annotationExceptions: false }).map((x) => x.suppressed)).toEqual([
      undefined,
    ]);
  });

  it('says that an exceptions annotation on the pod template is not read, and where it is', () => {
    const text = deployment('nginx:latest').replace(
      '  template:\n',
      '  template:\n    metadata:\n      annotations:\n        shipshape.dev/exceptions: "custom/no-latest: demo"\n',
    );
    const ds = run(text, [noLatest]);
    expect(ds.map((d) => [d.code, d.path, d.span?.start.line, d.suppressed])).toEqual([
      [
        'policy/invalid-exception',
        '/spec/template/metadata/annotations/shipshape.dev~1exceptions',
        10,
        undefined,
      ],
      ['custom/no-latest', '/spec/template/spec/containers/0/image', 14, undefined],
    ]);
    expect(ds[0]?.message).toBe(
      "the shipshape.dev/exceptions annotation of the pod template is not read: move it to this Deployment's own metadata.annotations",
    );
  });

  it('tells an entry for another kind of check that annotations except policy findings only', () => {
    const text = deployment('nginx:1.27', {
      'shipshape.dev/exceptions':
        'schema/unknown-field: we know\ncustom/no-latest: pinned later\npss/privileged: a pack this check leaves out\n',
    });
    // The entry for a pack that does not run cannot be judged here, and is not reported; nor is
    // one that names such a pack beside a rule that runs.
    const mixed = deployment('nginx:1.27', {
      'shipshape.dev/exceptions': 'pss/privileged, custom/no-latest: both',
    });
    expect(run(mixed, [noLatest])).toEqual([]);
    expect(run(text, [noLatest]).map((d) => d.message)).toEqual([
      'exception for schema/unknown-field names codes of other checks (schema/unknown-field): annotations except policy findings only; except those in shipshape.yaml',
      'exception for custom/no-latest matches no finding on this resource; remove it',
    ]);
  });

  it('uses every entry that matches a finding, with the reason of the most specific', () => {
    const text = deployment('nginx:latest', {
      'shipshape.dev/exceptions': 'custom/*: whole pack\ncustom/no-latest: pinned in SEC-9\n',
    });
    const ds = run(text, [noLatest]);
    expect(ds.map((d) => [d.code, d.suppressed?.reason])).toEqual([['custom/no-latest', 'pinned in SEC-9']]);
  });

  it('reports exception entries that match nothing and entries without a reason, at the annotation', () => {
    const text = deployment('nginx:1.27', {
      'shipshape.dev/exceptions': 'custom/*: vendored\ncustom/other\n# a comment\n',
    });
    const ds = run(text, [noLatest]);
    expect(ds.map((d) => [d.code, d.severity, d.message, d.span?.start.line])).toEqual([
      [
        'policy/invalid-exception',
        'error',
        'exception `custom/other` has no reason: write `rule-id: why it is safe`',
        7,
      ],
      [
        'policy/unused-exception',
        'warning',
        'exception for custom/* matches no finding on this resource; remove it',
        7,
      ],
    ]);
  });

  it('lets rules report across resources from finish, exceptions included', () => {
    const ds = run(TWO_SERVICES, [oneService]);
    expect(ds.map((d) => [d.resource?.name, d.span?.start.line, d.suppressed?.reason])).toEqual([
      ['a', 3, 'legacy name'],
      ['b', 7, undefined],
    ]);
  });

  it('places findings with a locator that answers one place at a time, in the contract’s key order', () => {
    const set = parseManifests([{ path: 'apps/web.yaml', content: deployment('nginx:latest') }]);
    const asked: string[] = [];
    const oneAtATime = {
      locate: (source: Parameters<typeof set.locator.locate>[0], pointer: string, o?: { key?: boolean }) => {
        asked.push(pointer);
        return set.locator.locate(source, pointer, o);
      },
    };
    const data = { ...noLatest, id: 'custom/with-data', check: withData };
    const engine = createPolicyEngine({
      rules: [noLatest, data],
      kubernetesVersion: '1.33',
      locator: oneAtATime,
    });
    const ds = set.resources.flatMap((r) => engine.check(r));
    expect(asked).toEqual([
      '/spec/template/spec/containers/0/image',
      '/spec/template/spec/containers/0/image',
    ]);
    expect(ds.map((d) => d.span?.start.line)).toEqual([11, 11]);
    expect(Object.keys(ds[1] ?? {})).toEqual([
      'code',
      'severity',
      'message',
      'resource',
      'path',
      'span',
      'data',
    ]);
  });

  it('gives plain diagnostics, suppressed ones with their reason last, whether reported or held', () => {
    const held = run(TWO_SERVICES, [oneService]);
    const reported = run(deployment('nginx:latest', { 'shipshape.dev/exceptions': 'custom/*: vendored' }), [
      noLatest,
    ]);
    for (const d of [...held, ...reported]) expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect([held[0], reported[0]].map((d) => Object.keys(d ?? {}))).toEqual([
      ['code', 'severity', 'message', 'resource', 'path', 'span', 'suppressed'],
      ['code', 'severity', 'message', 'resource', 'path', 'span', 'suppressed'],
    ]);
    expect(reported[0]?.suppressed).toEqual({ by: 'annotation', reason: 'vendored' });
  });

  it('keeps a __proto__ key of a finding’s data as a key when it copies the data', () => {
    // YAML has no reserved keys: a label or field named __proto__ is data like any other.
    const data = JSON.parse('{"__proto__": "web", "app": "a-value-of-thirteen-or-more"}') as Record<
      string,
      unknown
    >;
    const reporting: Rule = {
      ...noLatest,
      id: 'custom/proto-data',
      check(_resource, context) {
        context.report({ path: '/metadata/name', message: 'data with __proto__', data });
      },
    };
    const [d] = run(deployment('nginx:1.27'), [reporting]);
    expect(Object.keys(d?.data ?? {})).toEqual(['__proto__', 'app']);
    expect(Object.getPrototypeOf(d?.data)).toBe(Object.prototype);
    expect(JSON.stringify(d?.data)).toBe('{"__proto__":"web","app":"a-value-of-thirteen-or-more"}');
  });

  it('keeps a finding, without its span, when the locator fails', () => {
    const set = parseManifests([{ path: 'apps/web.yaml', content: deployment('nginx:latest') }]);
    const broken = {
      locate: () => {
        throw new Error('no positions');
      },
      locateAll: () => {
        throw new Error('no positions');
      },
    };
    const engine = createPolicyEngine({ rules: [noLatest], kubernetesVersion: '1.33', locator: broken });
    const ds = set.resources.flatMap((r) => engine.check(r));
    expect(ds.map((d) => [d.code, d.span])).toEqual([['custom/no-latest', undefined]]);
  });

  it('names a rule that reports under codes of its own by its id, and refuses a bare * in the annotation', () => {
    expect(
      [
        ['vap', 'vap/replica-limit'],
        ['vap/*', 'vap/replica-limit'],
        ['vap', 'vapor/x'],
        ['bp/image', 'bp/image-tag'],
        ['*', 'pss/privileged'],
      ].map(([pattern, code]) => matchesRule(pattern as string, code as string)),
    ).toEqual([true, true, false, false, true]);
    const starred = run(deployment('nginx:latest', { 'shipshape.dev/exceptions': '*, custom/x: vendored' }), [
      noLatest,
    ]);
    expect(starred.map((d) => [d.code, d.suppressed])).toEqual([
      ['policy/invalid-exception', undefined],
      ['custom/no-latest', undefined],
    ]);
    expect(starred[0]?.message).toBe(
      'exception `*, custom/x: vendored` names every rule (`*`): name the rules it is for, or a pack prefix such as `bp/*`',
    );
  });

  it('refuses a rule whose severity is not one when the engine is made', () => {
    const critical = { ...noLatest, severity: 'critical' } as unknown as Rule;
    expect(() => createPolicyEngine({ rules: [critical], kubernetesVersion: '1.33' })).toThrow(
      new TypeError('rule custom/no-latest has severity "critical": use error, warning or info'),
    );
  });

  it('keeps malformed findings, mended, and reports each mistake as the rule’s error', () => {
    const sloppy: Rule = {
      ...noLatest,
      id: 'custom/sloppy',
      check(_resource, context) {
        context.report({ path: '/spec', message: 'a', severity: 'fatal' as never });
        context.report({ path: 'spec', message: 'b' });
        context.report({ path: '/spec', message: 42 as never });
        context.report(null as never);
      },
    };
    const ds = run(deployment('nginx:1.27'), [sloppy]);
    const why = (m: string) => m.replace('rule custom/sloppy failed on this resource: it reported ', '');
    expect(ds.map((d) => [d.code, d.severity, d.path, why(d.message)])).toEqual([
      [
        'policy/rule-error',
        'error',
        '',
        `the severity "fatal": use error, warning or info (the rule's own severity is used)`,
      ],
      ['custom/sloppy', 'warning', '/spec', 'a'],
      [
        'policy/rule-error',
        'error',
        '',
        `the path "spec", which is not a JSON Pointer ('' or '/…'); the finding is placed on the whole resource`,
      ],
      ['custom/sloppy', 'warning', '', 'b'],
      ['policy/rule-error', 'error', '', 'a finding whose message is not a string'],
      ['custom/sloppy', 'warning', '/spec', '42'],
      ['policy/rule-error', 'error', '', 'null, not a finding'],
      ['custom/sloppy', 'warning', '', 'null'],
    ]);
  });

  it('reports a rule whose check or finish returns a promise, and absorbs what it does later', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      // What a rule author writes who forgets that rules are synchronous (the type says void).
      const late = {
        ...noLatest,
        id: 'custom/late',
        async check(_resource: unknown, context: RuleContext) {
          await Promise.resolve();
          context.report({ path: '/spec', message: 'too late' });
        },
        async finish() {
          await Promise.resolve();
          throw new Error('later still');
        },
      } as unknown as Rule;
      const ds = run(deployment('nginx:1.27'), [late]);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ds.map((d) => [d.code, d.message])).toEqual([
        [
          'policy/rule-error',
          'rule custom/late failed on this resource: check() returned a promise; rules run synchronously, so what it reports after an await is lost',
        ],
        [
          'policy/rule-error',
          'rule custom/late failed: finish() returned a promise; rules run synchronously, so what it reports after an await is lost',
        ],
      ]);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('says in finish that a rule reported after its check returned, instead of throwing from a timer', () => {
    let saved: RuleContext | undefined;
    const timer: Rule = {
      ...noLatest,
      id: 'custom/timer',
      check(_resource, context) {
        saved = context;
      },
    };
    const set = parseManifests([{ path: 'apps/web.yaml', content: deployment('nginx:1.27') }]);
    const engine = createPolicyEngine({ rules: [timer], kubernetesVersion: '1.33', locator: set.locator });
    for (const r of set.resources) expect(engine.check(r)).toEqual([]);
    // What a setTimeout in check does: the context is used once check is over.
    saved?.report({ path: '/spec', message: 'late' });
    expect(saved?.hold({ path: '/spec', message: 'later' }).code).toBe('custom/timer');
    expect(engine.finish().map((d) => [d.code, d.message, d.span])).toEqual([
      [
        'policy/rule-error',
        'rule custom/timer failed: it reported a finding after check() returned (from a timer or a promise); rules run synchronously, so that finding is lost',
        undefined,
      ],
    ]);
  });

  it('goes on when finish reports a finding without its resource, and mends codes outside the rule id', () => {
    const seen: import('@shipshape/core').Resource[] = [];
    const sloppy: Rule = {
      ...noLatest,
      id: 'custom/sloppy',
      check(resource, context) {
        seen.push(resource);
        context.report({ path: '/spec', message: 'spoofed', code: 'pss/privileged' });
        context.report({ path: '/spec', message: 'own', code: 'custom/sloppy/narrow' });
      },
      finish(context) {
        context.report({ path: '/spec', message: 'nowhere' } as never);
        context.report({ resource: seen[0]!, path: '/spec', message: 'kept' });
      },
    };
    const ds = run(deployment('nginx:1.27'), [sloppy]);
    expect(ds.map((d) => [d.code, d.message, d.span?.start.line ?? null])).toEqual([
      [
        'policy/rule-error',
        'rule custom/sloppy failed on this resource: it reported the code pss/privileged, which is not its id nor below it (custom/sloppy/…); the rule id is used',
        1,
      ],
      ['custom/sloppy', 'spoofed', 7],
      ['custom/sloppy/narrow', 'own', 7],
      [
        'policy/rule-error',
        'rule custom/sloppy failed: finish() reported a finding without its resource (report { resource, path, message })',
        null,
      ],
      ['custom/sloppy', 'kept', 7],
    ]);
  });

  it('merges a rule’s own settings over its pack’s, and applies settings to the codes a rule reports', () => {
    const latest = deployment('nginx:latest');
    const packAndOwn = {
      'custom/*': { severity: 'error' as const },
      'custom/no-latest': { options: { tag: 'latest' } },
    };
    expect(run(latest, [noLatest], { settings: packAndOwn }).map((d) => d.severity)).toEqual(['error']);
    const packOff = {
      'custom/*': { severity: 'off' as const },
      'custom/no-latest': { options: { tag: 'latest' } },
    };
    expect(run(latest, [noLatest], { settings: packOff })).toEqual([]);
    // A rule that reports under codes of its own: settings of the code, then of its pack, then of the rule.
    const perPolicy: Rule = {
      ...noLatest,
      id: 'gate',
      check(_resource, context) {
        context.report({ path: '/spec', message: 'a', code: 'gate/a' });
        context.report({ path: '/spec', message: 'b', code: 'gate/b' });
        context.hold({ path: '/spec', message: 'c', code: 'gate/a' });
      },
    };
    const settings = { 'gate/a': { severity: 'off' as const }, 'gate/*': { severity: 'info' as const } };
    expect(run(latest, [perPolicy], { settings }).map((d) => [d.code, d.severity])).toEqual([
      ['gate/b', 'info'],
    ]);
  });

  it('refuses settings and rules it cannot honour when it is made', () => {
    const make =
      (settings: Record<string, unknown>, rule: Rule = noLatest) =>
      () =>
        createPolicyEngine({ rules: [rule], kubernetesVersion: '1.33', settings: settings as never });
    expect(make({ 'custom/*': { severity: 'warn' } })).toThrow(
      'settings for custom/*: severity "warn" is not error, warning, info or off',
    );
    expect(make({ 'custom/no-latest': { options: { tga: 'edge' } } })).toThrow(
      'rule custom/no-latest has no option tga (options: tag)',
    );
    // Values its schema refuses, as the CLI and the RuleTester refuse them (one check for all three).
    expect(make({ 'custom/no-latest': { options: { tag: 42 } } })).toThrow(
      'rule custom/no-latest option tag: the value must be string',
    );
    expect(make({}, { ...noLatest, id: undefined as never })).toThrow('a rule has the id undefined');
    expect(make({}, { ...noLatest, kinds: 'Pod' as never })).toThrow(
      "rule custom/no-latest: kinds must be a list of kinds, such as ['Pod'] or POD_KINDS",
    );
  });

  it('reports unused exceptions once, and reads no annotation when annotations are not honoured', () => {
    const text = deployment('nginx:1.27', {
      'shipshape.dev/exceptions': 'custom/no-latest: vendored\n*: all',
    });
    const set = parseManifests([{ path: 'apps/web.yaml', content: text }]);
    const engine = createPolicyEngine({ rules: [noLatest], kubernetesVersion: '1.33', locator: set.locator });
    const checked = set.resources.flatMap((r) => engine.check(r));
    expect([...checked, ...engine.finish()].map((d) => d.code)).toEqual([
      'policy/invalid-exception',
      'policy/unused-exception',
    ]);
    expect(engine.finish()).toEqual([]);
    expect(run(text, [noLatest], { annotationExceptions: false })).toEqual([]);
  });

  it('refuses a held finding of another engine', () => {
    let held: HeldFinding[] = [];
    const holder: Rule = {
      ...noLatest,
      id: 'custom/holder',
      check(_resource, context) {
        held.push(context.hold({ path: '/metadata', message: 'held' }));
      },
    };
    const first = createPolicyEngine({ rules: [holder], kubernetesVersion: '1.33' });
    const set = parseManifests([{ path: 'apps/web.yaml', content: deployment('nginx:1.27') }]);
    for (const r of set.resources) first.check(r);
    const fromFirst = held;
    held = [];
    const relay: Rule = {
      ...noLatest,
      id: 'custom/relay',
      check: undefined,
      finish(context) {
        for (const h of fromFirst) context.report(h);
      },
    };
    const second = createPolicyEngine({ rules: [relay], kubernetesVersion: '1.33' });
    expect(second.finish().map((d) => [d.code, d.message])).toEqual([
      ['policy/rule-error', 'rule custom/relay failed: it reported a held finding of another engine'],
    ]);
  });

  it('reports a rule that throws as policy/rule-error and goes on with the others', () => {
    const ds = run(deployment('nginx:latest'), [throwing, noLatest]);
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ['policy/rule-error', 'rule custom/broken failed on this resource: boom'],
      ['custom/no-latest', 'container app uses the latest tag'],
    ]);
  });
});

describe('Rule.kinds and context.hold', () => {
  it('calls check only for the kinds a rule names', () => {
    const seen: string[] = [];
    const rule: Rule = {
      id: 'custom/services',
      category: 'hygiene',
      severity: 'info',
      kinds: ['Service'],
      docs: { summary: 'Services.', details: '…', examples: [] },
      check(resource) {
        seen.push(resource.id.kind);
      },
    };
    run(`${deployment('nginx:1.27')}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n`, [rule]);
    expect(seen).toEqual(['Service']);
    expect(POD_KINDS).toContain('CronJob');
    expect(POD_KINDS).not.toContain('Service');
  });

  // Holds a finding on every Deployment; reports those whose name no Service shares.
  const needsService = (): Rule => {
    let held: { name: string; finding: HeldFinding }[] = [];
    let services = new Set<string>();
    return {
      id: 'custom/needs-service',
      category: 'reliability',
      severity: 'warning',
      kinds: ['Deployment', 'Service'],
      docs: { summary: 'Services.', details: '…', examples: [] },
      check(resource, context) {
        if (resource.id.kind === 'Service') services.add(resource.id.name);
        else {
          const finding = context.hold({ path: '/metadata/name', message: `no Service ${resource.id.name}` });
          expect(finding).toMatchObject({
            code: 'custom/needs-service',
            resource: { name: resource.id.name },
          });
          held.push({ name: resource.id.name, finding });
        }
      },
      finish(context) {
        for (const h of held) {
          if (services.has(h.name)) continue;
          context.report(h.finding);
          context.report(h.finding); // a second report of the same handle adds nothing
        }
        held = [];
        services = new Set();
      },
    };
  };

  it('reports held findings that finish confirms, placed where check held them, once', () => {
    const text = `${deployment('nginx:1.27')}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
---
apiVersion: v1
kind: Service
metadata: {name: api}
`;
    const ds = run(text, [needsService()]);
    expect(ds.map((d) => [d.code, d.message, d.span?.start.line])).toEqual([
      ['custom/needs-service', 'no Service web', 4],
    ]);
  });

  it('matches exception annotations when a held finding is reported, not when it is held', () => {
    const excepted = `${deployment('nginx:1.27', { 'shipshape.dev/exceptions': 'custom/needs-service: batch job, no traffic' })}`;
    const [d, ...rest] = run(excepted, [needsService()]);
    expect(rest).toEqual([]);
    expect(d?.suppressed).toEqual({ by: 'annotation', reason: 'batch job, no traffic' });
    // The Service exists: the finding is dropped, so the exception matched nothing and says so.
    const unused = run(`${excepted}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n`, [
      needsService(),
    ]);
    expect(unused.map((x) => x.code)).toEqual(['policy/unused-exception']);
  });

  it('reports a held finding with the message and data finish restates, where it was held', () => {
    // Holds "no Service yet" on each Deployment; finish says how many Services the repository has.
    const restating = (): Rule => {
      let held: HeldFinding[] = [];
      let services = 0;
      return {
        id: 'custom/restated',
        category: 'reliability',
        severity: 'warning',
        kinds: ['Deployment', 'Service'],
        docs: { summary: 'Services.', details: '…', examples: [] },
        check(resource, context) {
          if (resource.id.kind === 'Service') services++;
          else
            held.push(context.hold({ path: '/metadata/name', message: 'no Service yet', data: { seen: 0 } }));
        },
        finish(context) {
          for (const [i, h] of held.entries()) {
            if (i === 0)
              context.report(h, {
                message: `${services} Service(s), none named after it`,
                data: { seen: services },
              });
            else context.report(h);
          }
          held = [];
          services = 0;
        },
      };
    };
    const text = `${deployment('nginx:1.27')}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
---
apiVersion: v1
kind: Service
metadata: {name: other}
`;
    const ds = run(text, [restating()]);
    expect(ds.map((d) => [d.message, d.data, d.span?.start.line])).toEqual([
      ['1 Service(s), none named after it', { seen: 1 }, 4],
      ['no Service yet', { seen: 0 }, 15],
    ]);
    // Key order stays the contract's, and an annotation exception still applies after a restatement.
    const excepted = deployment('nginx:1.27', { 'shipshape.dev/exceptions': 'custom/restated: not served' });
    const [d] = run(excepted, [restating()]);
    expect(Object.keys(d ?? {})).toEqual([
      'code',
      'severity',
      'message',
      'resource',
      'path',
      'span',
      'data',
      'suppressed',
    ]);
    expect([d?.message, d?.suppressed?.reason]).toEqual(['0 Service(s), none named after it', 'not served']);
  });

  it("restates a held finding's severity, below the configuration's, and reports one that is no severity", () => {
    const restating = (severity: string): Rule => {
      let held: HeldFinding[] = [];
      return {
        id: 'custom/restated',
        category: 'reliability',
        severity: 'warning',
        kinds: ['Deployment'],
        docs: { summary: 'Severities.', details: '…', examples: [] },
        check(_resource, context) {
          held.push(context.hold({ path: '/metadata/name', message: 'held' }));
        },
        finish(context) {
          for (const h of held) context.report(h, { message: 'restated', severity: severity as 'info' });
          held = [];
        },
      };
    };
    const severities = (severity: string, settings?: PolicyEngineOptions['settings']) =>
      run(deployment('nginx:1.27'), [restating(severity)], settings ? { settings } : {}).map((d) => [
        d.code,
        d.severity,
      ]);
    expect(severities('info')).toEqual([['custom/restated', 'info']]);
    expect(severities('info', { 'custom/restated': { severity: 'error' } })).toEqual([
      ['custom/restated', 'error'],
    ]);
    expect(severities('critical')).toEqual([
      ['policy/rule-error', 'error'],
      ['custom/restated', 'warning'],
    ]);
  });

  it('builds the pod of a resource once for all rules, and again when the object changes', () => {
    const resource = asResource({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'x:1' }] },
    });
    const first = podSpecOf(resource);
    expect(podSpecOf(resource)).toBe(first);
    expect(containersOf(first)).toBe(containersOf(podSpecOf(resource)));
    const spec = resource.object['spec'] as { containers: unknown[] };
    spec.containers = [
      { name: 'b', image: 'x:2' },
      { name: 'c', image: 'x:3' },
    ];
    expect(containersOf(podSpecOf(resource)).map((c) => c.name)).toEqual(['b', 'c']);
    (resource.object as Record<string, unknown>)['spec'] = { containers: [{ name: 'd' }] };
    expect(containersOf(podSpecOf(resource)).map((c) => c.name)).toEqual(['d']);
  });
});

describe('RuleTester', () => {
  const pod = (image: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image }] },
  });

  it('passes tables that hold and lists every case that does not', () => {
    const tester = new RuleTester(noLatest);
    expect(() =>
      tester.assert({
        valid: [{ name: 'pinned', resources: [pod('nginx:1.27')] }],
        invalid: [
          {
            name: 'latest',
            resources: [pod('nginx:latest')],
            reports: [{ path: '/spec/containers/0/image', message: /latest/ }],
          },
        ],
      }),
    ).not.toThrow();
    const outcomes = tester.run({
      valid: [{ name: 'wrongly valid', resources: [pod('nginx:latest')] }],
      invalid: [{ name: 'wrong path', resources: [pod('nginx:latest')], reports: ['/spec/containers/0'] }],
    });
    expect(outcomes.map((o) => [o.name, o.ok, o.problem])).toEqual([
      [
        'wrongly valid',
        false,
        'expected no findings, got /spec/containers/0/image "container c uses the latest tag"',
      ],
      [
        'wrong path',
        false,
        'finding 1: expected path /spec/containers/0, got /spec/containers/0/image (container c uses the latest tag)',
      ],
    ]);
    expect(asResource(pod('x')).id).toEqual({
      apiVersion: 'v1',
      group: '',
      kind: 'Pod',
      namespace: '',
      name: 'p',
    });
  });

  it('fails a case the rule crashes on, and one that cannot be run, naming the case', () => {
    const crashes: Rule = {
      ...noLatest,
      id: 'custom/crash',
      check(resource) {
        void (resource.object['spec'] as { nope: { deeper: unknown } }).nope.deeper;
      },
    };
    const outcomes = new RuleTester(crashes).run({
      valid: [
        { name: 'crashes', resources: [pod('nginx:1.27')] },
        { name: 'empty', resources: [] },
        { name: 'null document', resources: [null as never] },
        { name: 'option typo', resources: [pod('nginx:1.27')], options: { tga: 'edge' } },
      ],
      invalid: [{ name: 'expects nothing', resources: [pod('nginx:latest')], reports: [] }],
    });
    expect(outcomes.map((o) => [o.name, o.ok, o.problem])).toEqual([
      [
        'crashes',
        false,
        "the rule failed: rule custom/crash failed on this resource: Cannot read properties of undefined (reading 'deeper')",
      ],
      ['empty', false, 'the case has no resources'],
      [
        'null document',
        false,
        'resource 0 is null, not an object (parse YAML into objects before the table)',
      ],
      ['option typo', false, 'rule custom/crash has no option tga (options: tag)'],
      [
        'expects nothing',
        false,
        'an invalid case lists the reports it expects (a case without any belongs in valid)',
      ],
    ]);
  });

  it('counts only the findings on the first resource, told apart by kind and namespace as well as name', () => {
    const everyWeb: Rule = {
      ...noLatest,
      id: 'custom/every-web',
      check(resource, context) {
        if (resource.id.kind === 'Pod') context.report({ path: '/metadata', message: 'a web pod' });
      },
    };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'p' } };
    const inNamespace = (ns: string) => ({ ...pod('nginx:1.27'), metadata: { name: 'p', namespace: ns } });
    const outcomes = new RuleTester(everyWeb).run({
      invalid: [
        { name: 'Service first', resources: [service, pod('nginx:1.27')], reports: ['/metadata'] },
        {
          name: 'other namespace',
          resources: [{ ...service, kind: 'ConfigMap' }, inNamespace('b')],
          reports: ['/metadata'],
        },
        { name: 'Pod first', resources: [inNamespace('a'), inNamespace('b')], reports: ['/metadata'] },
      ],
    });
    expect(outcomes.map((o) => [o.name, o.ok, o.problem])).toEqual([
      [
        'Service first',
        false,
        'expected 1 finding(s) at /metadata of the first resource (Service/p), got none (and 1 on other resources of the case: /metadata "a web pod" on Pod/p)',
      ],
      [
        'other namespace',
        false,
        'expected 1 finding(s) at /metadata of the first resource (ConfigMap/p), got none (and 1 on other resources of the case: /metadata "a web pod" on Pod/p (namespace b))',
      ],
      ['Pod first', true, undefined],
    ]);
  });
});

describe('packs', () => {
  it('refuses a name that is no pack, takes one name as a string, and exports pssRules', () => {
    expect(() => loadPack('pss-restrictd' as never, '1.33')).toThrow(
      new RangeError(
        'no built-in pack is named "pss-restrictd" (packs: pss-baseline, pss-restricted, pss-namespaces, best-practices)',
      ),
    );
    // What a JavaScript caller can pass: the types would refuse it.
    const typo = ['best-practices', 'pss-restrictd'] as unknown as Parameters<typeof packRules>[0];
    expect(() => packRules(typo, '1.33')).toThrow(RangeError);
    expect(packRules('pss-restricted', '1.33').map((r) => r.id)).toEqual(
      pssRules('restricted', '1.33').map((r) => r.id),
    );
    expect(pssRules('baseline', '1.33').map((r) => r.id)).toContain('pss/privileged');
  });

  it('refuses pss-namespaces with a pack that judges every pod at one level', () => {
    expect(packConflict(['pss-restricted', 'pss-baseline', 'best-practices'])).toBeUndefined();
    expect(packConflict(['pss-namespaces', 'best-practices'])).toBeUndefined();
    expect(packConflict(['pss-baseline', 'pss-namespaces', 'pss-restricted'])).toMatch(
      /^pss-namespaces cannot run with pss-baseline or pss-restricted: /,
    );
    // Without the refusal, the first pack named would silently replace the other's checks.
    expect(() => packRules(['pss-namespaces', 'pss-restricted'], '1.33')).toThrow(
      /^pss-namespaces cannot run with pss-restricted/,
    );
    expect(packRules(['pss-namespaces'], '1.33').map((r) => r.id)).toContain('pss/namespace-labels');
  });

  it('sees annotations added in place to an object it checked before', () => {
    const object = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' } as Record<string, unknown>,
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    };
    const codes = () =>
      createPolicyEngine({ rules: packRules(['pss-baseline'], '1.33'), kubernetesVersion: '1.33' })
        .check(asResource(object))
        .map((d) => d.code);
    expect(codes()).toEqual([]);
    object.metadata['annotations'] = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    expect(codes()).toEqual(['pss/appArmorProfile']);
  });
});

describe('the pod of a resource, read once for all its rules', () => {
  const podRule = (id: string, seen: unknown[]): Rule => ({
    id,
    category: 'reliability',
    severity: 'info',
    kinds: POD_KINDS,
    docs: {
      summary: 'Reports the names of the containers it sees.',
      details: 'A probe for the tests.',
      examples: [],
    },
    check(resource, context) {
      const pod = podSpecOf(resource);
      seen.push(pod);
      for (const c of containersOf(pod)) context.report({ path: c.pointer, message: `sees ${c.name}` });
    },
  });

  function deploymentWithCountedTemplate(name: string) {
    const template: Record<string, unknown> = { spec: { containers: [{ name, image: 'nginx:1.27' }] } };
    const spec: Record<string, unknown> = {};
    let reads = 0;
    Object.defineProperty(spec, 'template', {
      enumerable: true,
      get: () => {
        reads++;
        return template;
      },
    });
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec };
    return { object, template, reads: () => reads };
  }

  it('walks to the pod template once per check, however many rules ask, and gives each rule the same pod', () => {
    const seen: unknown[] = [];
    const rules = Array.from({ length: 12 }, (_, i) => podRule(`team/pod-${i}`, seen));
    const { object, reads } = deploymentWithCountedTemplate('app');
    const engine = createPolicyEngine({ rules, kubernetesVersion: '1.33' });
    const resource = asResource(object);
    expect(engine.check(resource)).toHaveLength(12);
    // Once in all: the exception annotation's check (a misplaced one on the template) asks first.
    expect(reads()).toBe(1);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toMatchObject({ pointer: '/spec/template/spec' });
    // A new check is a new run: the pod is found again, not taken from the last one.
    engine.check(resource);
    expect(reads()).toBe(2);
  });

  it('sees a container renamed in place between two checks of the same object', () => {
    const { object, template } = deploymentWithCountedTemplate('app');
    const engine = createPolicyEngine({ rules: [podRule('team/names', [])], kubernetesVersion: '1.33' });
    const resource = asResource(object);
    expect(engine.check(resource).map((d) => d.message)).toEqual(['sees app']);
    (template['spec'] as { containers: { name: string }[] }).containers[0] = { name: 'renamed' };
    expect(engine.check(resource).map((d) => d.message)).toEqual(['sees renamed']);
    // Outside a check, the helpers read the object as it is now.
    expect(containersOf(podSpecOf(resource)).map((c) => c.name)).toEqual(['renamed']);
  });

  it('gives the outer resource its own pod again after a rule checked another resource with an engine of its own', () => {
    const inner = createPolicyEngine({ rules: [podRule('team/inner', [])], kubernetesVersion: '1.33' });
    const pod = asResource({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'other' },
      spec: { containers: [{ name: 'inner-app', image: 'nginx:1.27' }] },
    });
    const nesting: Rule = {
      ...podRule('team/nesting', []),
      check(resource, context) {
        podSpecOf(resource);
        const found = inner.check(pod).map((d) => d.message);
        context.report({ path: '', message: `inner saw ${found.join(', ')}` });
      },
    };
    const { object } = deploymentWithCountedTemplate('outer-app');
    const outer = createPolicyEngine({
      rules: [nesting, podRule('team/after', [])],
      kubernetesVersion: '1.33',
    });
    expect(outer.check(asResource(object)).map((d) => `${d.code}: ${d.message} at ${d.path}`)).toEqual([
      'team/nesting: inner saw sees inner-app at ',
      'team/after: sees outer-app at /spec/template/spec/containers/0',
    ]);
  });
});
