import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { commitAll, initRepo, run, tempTree } from './helpers.js';

const typo =
  'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n  selctor: {app: s}\n';
const flowSchema =
  'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec: {priorityLevelConfiguration: {name: x}}\n';
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}
`;
const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n';

const codes = (r: Awaited<ReturnType<typeof check>>) =>
  r.diagnostics.map((d) => [d.span?.path ?? null, d.code, d.severity]);

describe('schema validation in check', () => {
  it('runs by default, strict, and reports positions', async () => {
    const r = await check({ cwd: tempTree({ 's.yaml': typo }), config: false });
    expect(r.diagnostics.map((d) => [d.code, d.span?.start.line, d.span?.start.column, d.message])).toEqual([
      ['schema/unknown-field', 6, 3, 'unknown field `selctor` in `spec` — did you mean `selector`?'],
    ]);
  });

  it('allows unknown fields with --no-strict or strict: false, and can be turned off', async () => {
    const dir = tempTree({ 's.yaml': typo });
    expect((await run(['check', '--no-strict'], { cwd: dir })).code).toBe(0);
    expect((await run(['check', '--strict'], { cwd: dir })).code).toBe(1);
    expect((await check({ cwd: dir, config: { strict: false } })).diagnostics).toEqual([]);
    expect((await check({ cwd: dir, config: false, validate: false })).diagnostics).toEqual([]);
  });

  it('reports deprecated and removed APIs against --kubernetes-version', async () => {
    const dir = tempTree({ 'f.yaml': flowSchema });
    const old = await check({ cwd: dir, config: false, kubernetesVersion: '1.29' });
    expect(codes(old)).toEqual([['f.yaml', 'api/deprecated', 'warning']]);
    expect(old.diagnostics[0]?.message).toBe(
      'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated since Kubernetes 1.24 and removed in 1.32; use flowcontrol.apiserver.k8s.io/v1',
    );
    const now = await run(['check', '--kubernetes-version', '1.33', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(now.stdout).diagnostics.map((d: { code: string }) => d.code)).toEqual(['api/removed']);
    expect(now.code).toBe(1);
  });

  it('uses the nearest older bundle for a version in between, and says so', async () => {
    const r = await check({ cwd: tempTree({ 'f.yaml': flowSchema }), config: { kubernetesVersion: '1.31' } });
    expect(codes(r)).toEqual([
      [null, 'schema/version-fallback', 'info'],
      ['f.yaml', 'api/deprecated', 'warning'],
    ]);
    expect(r.diagnostics[0]?.message).toBe(
      'no schemas for Kubernetes 1.31 are bundled; using 1.29, the nearest older',
    );
  });

  it('judges removed APIs against the version asked for, not the bundle it falls back to', async () => {
    const r = await check({ cwd: tempTree({ 'f.yaml': flowSchema }), config: { kubernetesVersion: '1.32' } });
    expect(codes(r)).toEqual([
      [null, 'schema/version-fallback', 'info'],
      ['f.yaml', 'api/removed', 'error'],
    ]);
    expect(r.failed()).toBe(true);
  });

  it('validates a kind the older bundle lacks with the newer one, and says so', async () => {
    // ValidatingAdmissionPolicy went GA (admissionregistration.k8s.io/v1) in 1.30: 1.29 has no schema for it.
    const policy = (extra = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  validations: [{expression: "true"}]${extra}
`;
    const dir = tempTree({
      'p.yaml': policy(),
      'bad.yaml': policy('\n  failurPolicy: Fail').replace('name: p', 'name: q'),
    });
    const r = await check({
      cwd: dir,
      config: false,
      validate: true,
      admissionPolicies: false,
      kubernetesVersion: '1.30',
    });
    expect(codes(r)).toEqual([
      [null, 'schema/version-fallback', 'info'],
      [null, 'schema/version-fallback', 'info'],
      ['bad.yaml', 'schema/unknown-field', 'error'],
    ]);
    expect(r.diagnostics.slice(0, 2).map((d) => d.message)).toEqual([
      'Kubernetes 1.29 does not serve admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy; validated with the schemas of 1.33, the nearest newer bundle (check that 1.30 serves it)',
      'no schemas for Kubernetes 1.30 are bundled; using 1.29, the nearest older',
    ]);
    // At 1.29 itself the kind is unknown, as it is to that API server.
    const old = await check({ cwd: dir, config: false, admissionPolicies: false, kubernetesVersion: '1.29' });
    expect(old.diagnostics.map((d) => d.code)).toEqual(['schema/unknown-kind', 'schema/unknown-kind']);
  });

  it('rejects a version that is not X.Y with exit code 2', async () => {
    const out = await run(['check', '--kubernetes-version', 'latest'], {
      cwd: tempTree({ 'f.yaml': flowSchema }),
    });
    expect([out.code, out.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: --kubernetes-version: "latest" is not a Kubernetes version such as 1.33',
    ]);
  });

  it('validates custom resources with CRDs from the tree or from config folders; a missing CRD warns, configurably', async () => {
    const inTree = await check({ cwd: tempTree({ 'crd.yaml': crd, 'w.yaml': widget }), config: false });
    expect(codes(inTree)).toEqual([['w.yaml', 'schema/type', 'error']]);
    const dir = tempTree({
      'vendor/crds/crd.yaml': crd,
      'apps/w.yaml': widget,
      'apps/shipshape.yaml': 'crds: [../vendor/crds]\n',
    });
    expect(codes(await check({ paths: ['apps'], cwd: dir }))).toEqual([
      ['apps/w.yaml', 'schema/type', 'error'],
    ]);
    const none = tempTree({ 'w.yaml': widget });
    expect(codes(await check({ cwd: none, config: false }))).toEqual([
      ['w.yaml', 'schema/no-schema', 'warning'],
    ]);
    expect(codes(await check({ cwd: none, config: { severity: { 'schema/no-schema': 'error' } } }))).toEqual([
      ['w.yaml', 'schema/no-schema', 'error'],
    ]);
    expect(codes(await check({ cwd: none, config: { severity: { 'schema/no-schema': 'off' } } }))).toEqual(
      [],
    );
  });

  it('reports repeated items of set and map lists in custom resources, not in built-in kinds', async () => {
    const listCrd = crd.replace(
      '{size: {type: integer}}',
      '{size: {type: integer}, tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}, hosts: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, required: [name], properties: {name: {type: string}}}}}',
    );
    const dup =
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  tags: [a, b, a]\n  hosts:\n    - name: x\n    - name: x\n';
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: nginx\n      env: [{name: A, value: "1"}, {name: A, value: "2"}]\n';
    const r = await check({
      cwd: tempTree({ 'crd.yaml': listCrd, 'w.yaml': dup, 'pod.yaml': pod }),
      config: false,
    });
    expect(
      r.diagnostics.map((d) => [d.span?.path, d.code, d.span?.start.line, d.span?.start.column]),
    ).toEqual([
      ['w.yaml', 'schema/invalid', 5, 16],
      ['w.yaml', 'schema/invalid', 8, 7],
    ]);
    expect(r.diagnostics[1]?.message).toBe(
      '`spec.hosts[1]` has the same key as `spec.hosts[0]` (name: "x"): a list with x-kubernetes-list-type map holds each key once',
    );
    expect(r.failed()).toBe(true);
  });

  it('reports a file of a config CRD folder it cannot read', async () => {
    const dir = tempTree({
      'vendor/crds/crd.yaml': `${crd}  bad: [\n`,
      'apps/w.yaml': widget,
      'apps/shipshape.yaml': 'crds: [../vendor/crds]\n',
    });
    expect(codes(await check({ paths: ['apps'], cwd: dir }))).toEqual([
      ['apps/w.yaml', 'schema/no-schema', 'warning'],
      ['vendor/crds/crd.yaml', 'yaml/syntax', 'error'],
    ]);
  });

  it('reports a problem of a config CRD folder inside the checked tree once', async () => {
    const dir = tempTree({ 'crds/crd.yaml': `${crd}  bad: [\n`, 'shipshape.yaml': 'crds: [crds]\n' });
    expect(codes(await check({ cwd: dir }))).toEqual([['crds/crd.yaml', 'yaml/syntax', 'error']]);
  });

  it('blames a bad kubernetesVersion in the config on the config file, not on the flag', async () => {
    const cwd = tempTree({ 'f.yaml': flowSchema, 'shipshape.yaml': "kubernetesVersion: '2.0'\n" });
    const out = await run(['check'], { cwd });
    expect([out.code, out.stderr]).toEqual([
      2,
      'shipshape: shipshape.yaml: kubernetesVersion: "2.0" is not a Kubernetes version: they are 1.x, such as 1.33\n',
    ]);
    fs.writeFileSync(path.join(cwd, 'shipshape.yaml'), 'kubernetesVersion: 1.30\n');
    expect((await run(['check'], { cwd })).stderr).toContain(
      "/kubernetesVersion must be a string such as '1.30' (quoted: YAML reads 1.30 as the number 1.3)",
    );
  });

  it('validates a custom resource read before its CRD, and hands back every object after the check', async () => {
    // Files are read in path order: the Widget comes first, its CRD last.
    const dir = tempTree({ 'a/w.yaml': widget, 'b/ok.yaml': widget.replace('big', '3'), 'z/crd.yaml': crd });
    const r = await check({ cwd: dir, config: false });
    expect(codes(r)).toEqual([['a/w.yaml', 'schema/type', 'error']]);
    expect(r.diagnostics[0]?.span?.start).toEqual({ offset: 73, line: 4, column: 14 });
    // Objects are released while checking and read again from the text when asked for.
    expect(
      r.resources.map((x) => [x.id.kind, (x.object['spec'] as { size?: unknown } | undefined)?.size]),
    ).toEqual([
      ['Widget', 'big'],
      ['Widget', 3],
      ['CustomResourceDefinition', undefined],
    ]);
  });
  it('reports a CRD the API server refuses, lists its code, and still validates its custom resources', async () => {
    const bad = crd.replace('{name: widgets.example.com}', '{name: widget.example.com}');
    const dir = tempTree({ 'crd.yaml': bad, 'w.yaml': widget });
    const r = await check({ cwd: dir, config: false });
    expect(
      r.diagnostics.map((d) => [d.span?.path, d.code, d.span?.start.line, d.span?.start.column]),
    ).toEqual([
      ['crd.yaml', 'schema/invalid-crd', 3, 18],
      ['w.yaml', 'schema/type', 4, 14],
    ]);
    expect(r.rules.find((x) => x.code === 'schema/invalid-crd')?.title).toBe(
      'CustomResourceDefinition the API server rejects',
    );
    const out = await run(['check', '--format', 'sarif'], { cwd: dir });
    const sarif = JSON.parse(out.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } };
        results: { ruleId: string }[];
      }[];
    };
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toContain('schema/invalid-crd');
    expect(
      sarif.runs[0]?.tool.driver.rules.find((x) => x.id === 'schema/invalid-crd')?.shortDescription.text,
    ).toBe('CustomResourceDefinition the API server rejects');
    expect(out.code).toBe(1);
  });

  it('evaluates CRD rules with the Kubernetes CEL libraries, self typed by the schema', async () => {
    const ruled = crd.replace(
      '{spec: {type: object, properties: {size: {type: integer}}}}',
      `{spec: {type: object, properties: {size: {type: integer}, memory: {type: string}, ratio: {type: number}},
        x-kubernetes-validations: [
          {rule: "quantity(self.memory).isLessThan(quantity('1Gi'))", message: memory below 1Gi},
          {rule: "self.size + 1 <= 10", messageExpression: "'size ' + string(self.size) + ' too big'"},
          {rule: "self.ratio * 2.0 <= 1.0", message: ratio at most a half}]}}`,
    );
    const cr = (name: string, spec: string) =>
      `---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
    const dir = tempTree({
      'crd.yaml': ruled,
      'w.yaml': `${cr('ok', '{size: 9, memory: 512Mi, ratio: 0}')}${cr('bad', '{size: 10, memory: 2Gi, ratio: 1}')}`,
    });
    const r = await check({ cwd: dir, config: false });
    expect(r.diagnostics.map((d) => [d.code, d.span?.start.line, d.message])).toEqual([
      [
        'schema/cel',
        10,
        "`spec`: memory below 1Gi (rule `quantity(self.memory).isLessThan(quantity('1Gi'))`)",
      ],
      ['schema/cel', 10, '`spec`: ratio at most a half (rule `self.ratio * 2.0 <= 1.0`)'],
      ['schema/cel', 10, '`spec`: size 10 too big (rule `self.size + 1 <= 10`)'],
    ]);
  });

  it('refuses a CRD whose validation rule does not compile in the Kubernetes CEL environment', async () => {
    const broken = crd.replace(
      '{spec: {type: object, properties: {size: {type: integer}}}}',
      `{spec: {type: object, properties: {size: {type: integer}},
        x-kubernetes-validations: [{rule: "self.size >"}, {rule: "self.size < 10", fieldPath: .sise}]}}`,
    );
    const r = await check({ cwd: tempTree({ 'crd.yaml': broken }), config: false });
    expect(r.diagnostics.map((d) => [d.code, d.path, d.span?.start.line])).toEqual([
      [
        'schema/invalid-crd',
        '/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/1/fieldPath',
        13,
      ],
    ]);
    const fixed = broken.replace('fieldPath: .sise', 'fieldPath: .size');
    const again = await check({ cwd: tempTree({ 'crd.yaml': fixed }), config: false });
    expect(again.diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'schema/invalid-crd',
        '/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/0/rule',
        expect.stringMatching(/^the rule does not compile: .*\(at character 12\)$/),
      ],
    ]);
  });

  it('refuses a CRD whose validation rule selects a field its schema lacks, as the typed check does', async () => {
    const typo = crd.replace(
      '{spec: {type: object, properties: {size: {type: integer}}}}',
      `{spec: {type: object, properties: {size: {type: integer}},
        x-kubernetes-validations: [{rule: "self.sise < 10"}, {rule: "self.size < 10"}]}}`,
    );
    const r = await check({ cwd: tempTree({ 'crd.yaml': typo }), config: false });
    expect(r.diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'schema/invalid-crd',
        '/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/0/rule',
        "the rule does not compile: self has no field 'sise' in the schema the rule is on",
      ],
    ]);
  });

  it('refuses a CRD whose default breaks a rule of its field, with the Kubernetes CEL libraries', async () => {
    const defaulted = (value: string) =>
      crd.replace(
        '{spec: {type: object, properties: {size: {type: integer}}}}',
        `{spec: {type: object, properties: {size: {type: integer}, memory: {type: string, default: "${value}",
          x-kubernetes-validations: [{rule: "quantity(self).isLessThan(quantity('2Gi'))", message: memory below 2Gi}]}}}}`,
      );
    const r = await check({ cwd: tempTree({ 'crd.yaml': defaulted('3Gi') }), config: false });
    expect(r.diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'schema/invalid-crd',
        '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/memory/default',
        '`default` must validate against its own schema: memory below 2Gi',
      ],
    ]);
    expect(
      (await check({ cwd: tempTree({ 'crd.yaml': defaulted('1Gi') }), config: false })).diagnostics,
    ).toEqual([]);
  });

  it('compiles a rule with optionalOldSelf with oldSelf as an optional', async () => {
    const optional = (rule: string) =>
      crd.replace(
        '{spec: {type: object, properties: {size: {type: integer}}}}',
        `{spec: {type: object, properties: {size: {type: integer}, class: {type: string,
          x-kubernetes-validations: [{rule: "${rule}", optionalOldSelf: true}]}}}}`,
      );
    const found = async (rule: string) =>
      (await check({ cwd: tempTree({ 'crd.yaml': optional(rule) }), config: false })).diagnostics.map(
        (d) => d.message,
      );
    expect(await found('!oldSelf.hasValue() || self == oldSelf.value()')).toEqual([]);
    expect(await found('self == oldSelf')).toEqual([
      "the rule does not compile: found no matching overload for '_==_' applied to '(string, optional(string))' (at character 1), with self typed by the schema the rule is on",
    ]);
  });

  it('with --changed-since, runs the transition rules of a changed custom resource against its object at the base', async () => {
    const immutable = crd.replace(
      '{spec: {type: object, properties: {size: {type: integer}}}}',
      `{spec: {type: object, properties: {size: {type: integer}, class: {type: string,
          x-kubernetes-validations: [{rule: "self == oldSelf", message: class is immutable}]}}}}`,
    );
    const widget = (spec: string) =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\nspec: ${spec}\n`;
    const dir = await initRepo({ 'crd.yaml': immutable, 'widget.yaml': widget('{size: 1, class: fast}') });
    await commitAll(dir, 'first');
    const shown = (r: Awaited<ReturnType<typeof check>>) =>
      r.diagnostics.map((d) => [d.code, d.span?.path, d.span?.start.line, d.message]);
    fs.writeFileSync(path.join(dir, 'widget.yaml'), widget('{size: 2, class: slow}'));
    expect(shown(await check({ cwd: dir, changedSince: 'HEAD', config: false }))).toEqual([
      ['schema/cel', 'widget.yaml', 4, '`spec.class`: class is immutable (rule `self == oldSelf`)'],
    ]);
    // Without a base to compare with, the rule cannot be run, and that is said once.
    expect(shown(await check({ cwd: dir, config: false }))).toEqual([
      [
        'schema/cel-not-evaluated',
        'widget.yaml',
        4,
        'rule `self == oldSelf` on `spec.class` was not evaluated: it is a transition rule (oldSelf): it needs the object stored in the cluster',
      ],
    ]);
    // Changing another field passes; a Widget the change adds is created, where the rule does not run.
    fs.writeFileSync(path.join(dir, 'widget.yaml'), widget('{size: 2, class: fast}'));
    fs.writeFileSync(path.join(dir, 'new.yaml'), widget('{class: slow}').replace('name: w', 'name: fresh'));
    expect(shown(await check({ cwd: dir, changedSince: 'HEAD', config: false }))).toEqual([]);
  });

  it('with --changed-since, refuses a CustomResourceDefinition whose scope the change flips', async () => {
    const dir = await initRepo({ 'crd.yaml': crd });
    await commitAll(dir, 'first');
    fs.writeFileSync(path.join(dir, 'crd.yaml'), crd.replace('scope: Namespaced', 'scope: Cluster'));
    const r = await check({ cwd: dir, changedSince: 'HEAD', config: false });
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([['schema/invalid-crd', '/spec/scope']]);
    // Without --changed-since the definition is judged as created, with whatever scope it has.
    expect((await check({ cwd: dir, config: false })).diagnostics).toEqual([]);
  });
});
