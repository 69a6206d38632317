import type { Diagnostic, Resource } from '@shipshape/core';
import { admissionPolicyRule, createPolicyEngine } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { binding, configMap, DEPLOYMENT_RULES, deployment, type Obj, policy } from './vap-fixtures.js';

// Of two policies, bindings or params with one identity, a cluster keeps the last one applied
// (`kubectl apply -R` goes by path, then document; a sync ends the same way). The evaluation uses
// that one, and `vap/duplicate` on each replaced object names the one that replaces it: an info
// when `manifest/duplicate-resource` already reports the pair (one folder, or one inside the
// other), a warning when nothing else does.

/** An object placed in `path` as document `document` (line = document + 1). */
function at(path: string, document: number, object: Obj): Resource {
  const r = asResource(object, document);
  const start = { offset: 0, line: document + 1, column: 1 };
  return { ...r, source: { path, document, span: { path, document, start, end: start } } };
}

function run(resources: readonly Resource[], extraResources: readonly Resource[] = []): Diagnostic[] {
  const engine = createPolicyEngine({
    rules: [admissionPolicyRule({ extraResources })],
    kubernetesVersion: '1.35',
    // Each finding at its resource's start: enough to tell which object it is on.
    locator: { locate: (source) => source.span },
  });
  return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

/** `code path:line severity message` of each finding, sorted as the engine sorts them. */
function lines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(
    (d) => `${d.code} ${d.span?.path ?? '?'}:${d.span?.start.line ?? '?'} ${d.severity} ${d.message}`,
  );
}

const limit = (max: number) =>
  policy('limit', {
    matchConstraints: DEPLOYMENT_RULES,
    validations: [{ expression: `object.spec.replicas <= ${max}`, message: `at most ${max}` }],
  });
const web = deployment('web', 'shop', 5);

describe('vap: of two objects with one name, the last applied counts', () => {
  it('evaluates the later of two policies and says which one replaces the other', () => {
    const found = run([
      at('apps/web.yaml', 0, web),
      at('policies/a.yaml', 0, limit(3)),
      at('policies/a.yaml', 1, binding('limit', {})),
      at('policies/b.yaml', 0, limit(4)),
    ]);
    expect(lines(found)).toEqual([
      'vap/duplicate policies/a.yaml:1 info not evaluated: the ValidatingAdmissionPolicy limit at policies/b.yaml:1:1 replaces it (a cluster keeps the last one applied)',
      'vap/limit apps/web.yaml:1 error at most 4',
    ]);
    expect(found[0]?.data).toEqual({
      name: 'limit',
      kind: 'ValidatingAdmissionPolicy',
      replacedBy: { path: 'policies/b.yaml', line: 1, column: 1 },
    });
  });

  it('goes by path and document, whatever order the files are checked in', () => {
    const found = run([
      at('policies/b.yaml', 0, limit(10)),
      at('apps/web.yaml', 0, web),
      at('policies/a.yaml', 1, limit(3)),
      at('policies/a.yaml', 0, binding('limit', {})),
    ]);
    expect(lines(found).map((l) => l.slice(0, l.indexOf(' not')))).toEqual([
      'vap/duplicate policies/a.yaml:2 info',
    ]);
  });

  it('uses the later of two bindings: its actions decide the severity', () => {
    const found = run([
      at('apps/web.yaml', 0, web),
      at('policies/limit.yaml', 0, limit(3)),
      at('policies/limit.yaml', 1, binding('limit', { validationActions: ['Deny'] })),
      at('policies/limit.yaml', 2, binding('limit', { validationActions: ['Warn'] })),
    ]);
    expect(lines(found)).toEqual([
      'vap/duplicate policies/limit.yaml:2 info not evaluated: the ValidatingAdmissionPolicyBinding limit at policies/limit.yaml:3:1 replaces it (a cluster keeps the last one applied)',
      'vap/limit apps/web.yaml:1 warning at most 3',
    ]);
  });

  it('warns when no duplicate check reports the pair: sibling folders, a --policy file', () => {
    const siblings = run([
      at('apps/web.yaml', 0, web),
      at('clusters/a/limit.yaml', 0, limit(3)),
      at('clusters/a/limit.yaml', 1, binding('limit', {})),
      at('clusters/b/limit.yaml', 0, limit(10)),
    ]);
    expect(siblings.map((d) => `${d.code} ${d.severity} ${d.span?.path}`)).toEqual([
      'vap/duplicate warning clusters/a/limit.yaml',
    ]);
    // A file named with --policy comes after the repository: it replaces the repository's own.
    const given = run(
      [at('apps/web.yaml', 0, web), at('policies/limit.yaml', 0, limit(10))],
      [at('platform/limit.yaml', 0, limit(3)), at('platform/limit.yaml', 1, binding('limit', {}))],
    );
    expect(given.map((d) => `${d.code} ${d.severity} ${d.span?.path}`)).toEqual([
      'vap/duplicate warning policies/limit.yaml',
      'vap/limit error apps/web.yaml',
    ]);
  });

  it('evaluates with the later of two params of one name, once', () => {
    const withParams = policy('limit', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: DEPLOYMENT_RULES,
      validations: [
        {
          expression: 'object.spec.replicas <= int(params.data.max)',
          messageExpression: "'at most ' + params.data.max",
        },
      ],
    });
    const found = run([
      at('apps/web.yaml', 0, web),
      at('apps/web.yaml', 1, configMap('limits', 'shop', { max: '3' })),
      at('apps/web.yaml', 2, configMap('limits', 'shop', { max: '4' })),
      at('policies/limit.yaml', 0, withParams),
      at(
        'policies/limit.yaml',
        1,
        binding('limit', { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } }),
      ),
    ]);
    expect(lines(found)).toEqual([
      'vap/duplicate apps/web.yaml:2 info not used as params: the ConfigMap shop/limits at apps/web.yaml:3:1 replaces it (a cluster keeps the last one applied)',
      'vap/limit apps/web.yaml:1 error at most 4',
    ]);
  });

  it('says nothing of replaced params no binding could pick', () => {
    const withParams = policy('limit', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: DEPLOYMENT_RULES,
      validations: [{ expression: 'object.spec.replicas <= int(params.data.max)' }],
    });
    const found = run([
      at('apps/web.yaml', 0, web),
      at('apps/web.yaml', 1, configMap('limits', 'shop', { max: '9' })),
      // Repeated, but the binding names another ConfigMap: no policy reads either copy.
      at('apps/web.yaml', 2, configMap('unrelated', 'shop', { max: '1' })),
      at('apps/web.yaml', 3, configMap('unrelated', 'shop', { max: '2' })),
      at('policies/limit.yaml', 0, withParams),
      at(
        'policies/limit.yaml',
        1,
        binding('limit', { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } }),
      ),
    ]);
    expect(found).toEqual([]);
  });

  it('says nothing of replaced objects no policy takes as params', () => {
    const found = run([
      at('apps/web.yaml', 0, web),
      at('apps/web.yaml', 1, configMap('limits', 'shop', { max: '3' })),
      at('apps/web.yaml', 2, configMap('limits', 'shop', { max: '4' })),
      at('policies/a.yaml', 0, limit(10)),
      at('policies/a.yaml', 1, binding('limit', {})),
    ]);
    expect(found).toEqual([]);
  });
});
