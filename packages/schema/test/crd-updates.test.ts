import type { Diagnostic } from '@shipshape/core';
import { parseManifests } from '@shipshape/manifests';
import { loadKubernetesSchemas, type SchemaBundle, validateResources } from '@shipshape/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { definition } from './crd-fixtures.js';

let bundle: SchemaBundle;
beforeAll(async () => {
  bundle = await loadKubernetesSchemas('1.33');
});

// A kind with the transition rules kubebuilder writes: an immutable field, a bound on how far a
// value may move, and a rule on the items of a map list (correlated by their key).

const crd = definition(
  'Volume',
  'volumes',
  `              type: object
              properties:
                class:
                  type: string
                  x-kubernetes-validations:
                    - {rule: self == oldSelf, message: class is immutable}
                size: {type: integer}
                mounts:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      readOnly: {type: boolean, default: false}
                    x-kubernetes-validations:
                      - rule: "!oldSelf.readOnly || self.readOnly"
                        messageExpression: "'mount ' + self.name + ' was read-only'"
              x-kubernetes-validations:
                - {rule: self.size >= oldSelf.size, message: a volume does not shrink}
`,
);

const volume = (spec: string, name = 'data') =>
  `apiVersion: example.com/v1\nkind: Volume\nmetadata: {name: ${name}, namespace: shop}\nspec: ${spec}\n`;

/**
 * Validate `now` after `definition`, with the objects of `before` (read at `main`) as the previous
 * ones, or none.
 */
function validateAfter(
  definitionText: string,
  now: string,
  before: string | undefined,
  kubernetesVersion = '1.33',
): Diagnostic[] {
  const set = parseManifests([{ path: 'm.yaml', content: `${definitionText}---\n${now}` }]);
  expect(set.diagnostics).toEqual([]);
  const previous =
    before === undefined
      ? undefined
      : parseManifests([{ path: 'old.yaml', content: before, ref: 'main' }]).resources;
  return validateResources(set.resources, {
    bundle,
    locator: set.locator,
    kubernetesVersion,
    ...(previous === undefined ? {} : { previous }),
  });
}

const validate = (now: string, before?: string) => validateAfter(crd, now, before);

const summary = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`);

describe('transition rules (oldSelf) on an update', () => {
  it('runs them against the previous object with the same identity', () => {
    const before = volume('{class: fast, size: 10}');
    expect(summary(validate(volume('{class: slow, size: 5}'), before))).toEqual([
      'schema/cel /spec `spec`: a volume does not shrink (rule `self.size >= oldSelf.size`)',
      'schema/cel /spec/class `spec.class`: class is immutable (rule `self == oldSelf`)',
    ]);
    expect(validate(volume('{class: fast, size: 20}'), before)).toEqual([]);
  });

  it('does not run them where the update adds the value, or on an object that is new', () => {
    // `class` is new, so its rule has no old value; `size` was there.
    expect(summary(validate(volume('{class: slow, size: 5}'), volume('{size: 10}')))).toEqual([
      'schema/cel /spec `spec`: a volume does not shrink (rule `self.size >= oldSelf.size`)',
    ]);
    // Another name, another namespace, another kind: a create, where transition rules do not run.
    expect(validate(volume('{class: slow, size: 5}'), volume('{class: fast, size: 10}', 'logs'))).toEqual([]);
    const elsewhere = volume('{class: fast, size: 10}').replace('namespace: shop', 'namespace: web');
    expect(validate(volume('{class: slow, size: 5}'), elsewhere)).toEqual([]);
    expect(validate(volume('{class: slow, size: 5}'), '')).toEqual([]);
  });

  it('correlates the items of a map list by their keys, whatever their order, with defaults filled in', () => {
    const before = volume('{size: 1, mounts: [{name: a, readOnly: true}, {name: b}]}');
    // `a` moved to second place and lost readOnly; `c` is new; `b` was writable (the default).
    const now = volume(
      '{size: 1, mounts: [{name: c, readOnly: false}, {name: a}, {name: b, readOnly: true}]}',
    );
    expect(summary(validate(now, before))).toEqual([
      'schema/cel /spec/mounts/1 `spec.mounts[1]`: mount a was read-only (rule `!oldSelf.readOnly || self.readOnly`)',
    ]);
  });

  it('without previous objects, says the transition rules were not evaluated', () => {
    expect(summary(validate(volume('{class: slow, size: 5}')))).toEqual([
      'schema/cel-not-evaluated /spec rule `self.size >= oldSelf.size` on `spec` was not evaluated: it is a transition rule (oldSelf): it needs the object stored in the cluster',
      'schema/cel-not-evaluated /spec/class rule `self == oldSelf` on `spec.class` was not evaluated: it is a transition rule (oldSelf): it needs the object stored in the cluster',
    ]);
  });
});

// A kind whose validations were tightened after objects were stored: the API server lets an
// update keep a value it does not change (validation ratcheting, 1.30 on).
const tightened = definition(
  'Box',
  'boxes',
  `              type: object
              required: [owner]
              properties:
                owner: {type: string}
                note: {type: string}
                mode: {type: string, anyOf: [{enum: [a]}, {enum: [b]}]}
                size:
                  type: integer
                  maximum: 10
                  x-kubernetes-validations:
                    - {rule: self < 50, message: size is below 50}
                ports:
                  type: array
                  items: {type: object, properties: {port: {type: integer, maximum: 1000}}}
`,
);

const box = (spec: string) =>
  `apiVersion: example.com/v1\nkind: Box\nmetadata: {name: b, namespace: shop}\nspec: ${spec}\n`;

function ratchet(now: string, before: string | undefined, kubernetesVersion = '1.33'): string[] {
  return validateAfter(tightened, now, before, kubernetesVersion).map((d) => `${d.code} ${d.path}`);
}

describe('validation ratcheting on an update', () => {
  const stored = box('{owner: a, size: 51, ports: [{port: 5000}]}');

  it('drops the errors of values the update leaves as they were', () => {
    const created = [
      'schema/cel /spec/size',
      'schema/invalid /spec/size',
      'schema/invalid /spec/ports/0/port',
    ];
    expect(ratchet(box('{owner: a, size: 51, ports: [{port: 5000}], note: hi}'), undefined)).toEqual(created);
    expect(ratchet(box('{owner: a, size: 51, ports: [{port: 5000}], note: hi}'), stored)).toEqual([]);
  });

  it('keeps the errors of values the update changes, and of a list item when its atomic list changes', () => {
    expect(ratchet(box('{owner: a, size: 53, ports: [{port: 5000}, {port: 1}]}'), stored)).toEqual([
      'schema/cel /spec/size',
      'schema/invalid /spec/size',
      'schema/invalid /spec/ports/0/port',
    ]);
  });

  it('ratchets a required field missing from a node only while the node is unchanged', () => {
    const ownerless = box('{size: 2, note: x1}');
    expect(ratchet(ownerless, ownerless)).toEqual([]);
    expect(ratchet(box('{size: 2, note: x2}'), ownerless)).toEqual(['schema/missing-field /spec']);
  });

  it('ratchets what a composite finds only while the node around it is unchanged', () => {
    const stored = box('{owner: a, mode: c, note: x1}');
    const relabelled = stored.replace('namespace: shop}', 'namespace: shop, labels: {team: t}}');
    expect(ratchet(relabelled, stored)).toEqual([]);
    // The value under the composite is unchanged, but the node around it is not.
    expect(ratchet(box('{owner: a, mode: c, note: x2}'), stored)).toEqual(['schema/enum /spec/mode']);
  });

  it('keeps unknown fields, which the API server does not take as a value validation', () => {
    const unknown = box('{owner: a, extra: 1, note: x1}');
    expect(ratchet(box('{owner: a, extra: 1, note: x2}'), unknown)).toEqual([
      'schema/unknown-field /spec/extra',
    ]);
  });

  it('does not ratchet before Kubernetes 1.30, where it is off by default', () => {
    expect(ratchet(box('{owner: a, size: 51, ports: [{port: 5000}], note: hi}'), stored, '1.29')).toEqual([
      'schema/cel /spec/size',
      'schema/invalid /spec/size',
      'schema/invalid /spec/ports/0/port',
    ]);
  });
});

describe('optionalOldSelf', () => {
  const guarded = definition(
    'Gate',
    'gates',
    `              type: object
              properties:
                mode: {type: string}
              x-kubernetes-validations:
                - {rule: "!oldSelf.hasValue() || self.mode == oldSelf.value().mode", optionalOldSelf: true}
`,
  );
  const gate =
    'apiVersion: example.com/v1\nkind: Gate\nmetadata: {name: g, namespace: shop}\nspec: {mode: a}\n';

  it('runs a rule on a create from Kubernetes 1.30, and not before', () => {
    // The standard evaluator has no optionals: running it means saying it could not.
    const reasons = (version: string) =>
      validateAfter(guarded, gate, '', version).map((d) => `${d.code} ${d.message}`);
    expect(reasons('1.33')).toEqual([
      'schema/cel-not-evaluated rule `!oldSelf.hasValue() || self.mode == oldSelf.value().mode` on `spec` was not evaluated: optionalOldSelf needs optional types, which the standard evaluator lacks',
    ]);
    expect(reasons('1.29')).toEqual([]);
  });
});

describe('a CustomResourceDefinition updated', () => {
  const spec = `              type: object
              properties:
                mode: {type: string}
`;
  const before = definition('Gate', 'gates', spec);

  it('keeps its scope and kind, by which its objects are stored', () => {
    const changed = before
      .replace('scope: Namespaced', 'scope: Cluster')
      .replace('kind: Gate,', 'kind: Door,');
    const found = validateAfter(changed, '', before).map((d) => [d.code, d.path, d.message]);
    expect(found).toEqual([
      [
        'schema/invalid-crd',
        '/spec/scope',
        'spec.scope is immutable once the CustomResourceDefinition is established: it is `Namespaced` in the cluster, so `Cluster` is refused (its objects are stored by it; to change it, create the definition anew)',
      ],
      [
        'schema/invalid-crd',
        '/spec/names/kind',
        'spec.names.kind is immutable once the CustomResourceDefinition is established: it is `Gate` in the cluster, so `Door` is refused (its objects are stored by it; to change it, create the definition anew)',
      ],
    ]);
    // Created, or left as it was, it is fine.
    expect(validateAfter(changed, '', undefined)).toEqual([]);
    expect(validateAfter(before, '', before)).toEqual([]);
  });
});

describe('fields of built-in kinds an update may not change', () => {
  const immutable = (now: string, before: string) =>
    validateAfter(guardedNothing, now, before)
      .filter((d) => d.code === 'schema/immutable-field')
      .map((d) => `${d.path} ${d.message.slice(0, d.message.indexOf(';'))}`);
  // No CRD is needed: an empty one keeps the helper's shape.
  const guardedNothing = definition('Thing', 'things', '              type: object\n');
  const deployment = (app: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`;

  it("refuses a Deployment's new selector, and not its other changes", () => {
    expect(immutable(deployment('shop'), deployment('web'))).toEqual([
      '/spec/selector spec.selector: field is immutable',
    ]);
    expect(immutable(deployment('web', 3), deployment('web'))).toEqual([]);
  });

  it("refuses a Job's new template, a binding's new roleRef and a StatefulSet's new claim size", () => {
    const job = (image: string) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: m, image: ${image}}]}\n`;
    expect(immutable(job('tool:2'), job('tool:1'))).toEqual([
      '/spec/template spec.template: field is immutable',
    ]);
    const binding = (role: string, group = '') =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nroleRef: {kind: Role, name: ${role}${group}}\nsubjects: [{kind: User, name: a}]\n`;
    expect(immutable(binding('edit'), binding('view'))).toEqual(['/roleRef roleRef: cannot change roleRef']);
    // The API group the server fills in is no change.
    expect(immutable(binding('view', ', apiGroup: rbac.authorization.k8s.io'), binding('view'))).toEqual([]);
    const sts = (size: string, mode = '') =>
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: pg:16}]}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${size}}}${mode}}\n`;
    expect(immutable(sts('20Gi'), sts('10Gi'))).toEqual([
      "/spec/volumeClaimTemplates spec.volumeClaimTemplates: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
    // The volume mode the server fills in is no change.
    expect(immutable(sts('10Gi', ', volumeMode: Filesystem'), sts('10Gi'))).toEqual([]);
  });

  it("keeps an immutable Secret's data without quoting it, and a Service's cluster IP once set", () => {
    const secret = (password: string, flag = 'immutable: true\n') =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\n${flag}data: {password: ${password}}\n`;
    const found = validateAfter(guardedNothing, secret('bmV3LXZhbHVl'), secret('b2xkLXZhbHVl')).filter(
      (d) => d.code === 'schema/immutable-field',
    );
    expect(found.map((d) => d.path)).toEqual(['/data']);
    expect(found[0]?.message).not.toMatch(/bmV3|b2xk/);
    // Without `immutable`, data may change.
    expect(immutable(secret('bmV3LXZhbHVl', ''), secret('b2xkLXZhbHVl', ''))).toEqual([]);
    const service = (ip: string) =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec: {clusterIP: ${ip}, ports: [{port: 5432}]}\n`;
    expect(immutable(service('10.0.0.2'), service('None'))).toEqual([
      '/spec/clusterIP spec.clusterIP: may not change once set',
    ]);
  });

  it('refuses a claim whose storage request goes down, whatever the units', () => {
    const claim = (storage: string, extra = '') =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: shop${extra}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: ${storage}}}\n`;
    const shrink = (now: string, before: string) =>
      validateAfter(guardedNothing, claim(now), claim(before)).filter(
        (d) => d.code === 'schema/immutable-field',
      );
    const found = shrink('5Gi', '10Gi');
    expect(found.map((d) => d.path)).toEqual(['/spec/resources/requests/storage']);
    expect(found[0]?.message).toMatch(
      /^spec\.resources\.requests\.storage: a claim cannot shrink: .*10Gi before this change/,
    );
    expect(shrink('10G', '10Gi')).toHaveLength(1);
    // Growing, the same amount written otherwise, or no old request: nothing to refuse.
    expect(shrink('20Gi', '10Gi')).toEqual([]);
    expect(shrink('10240Mi', '10Gi')).toEqual([]);
    expect(shrink('1Ti', '1024Gi')).toEqual([]);
    expect(shrink('5Gi', 'not-a-quantity')).toEqual([]);
  });

  it("keeps a Job's completions, completion mode and failure policies; Indexed Jobs scale them with parallelism", () => {
    const job = (spec: string) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: work, namespace: shop}\nspec:\n${spec}  template:\n    spec: {restartPolicy: Never, containers: [{name: w, image: w:1}]}\n`;
    expect(immutable(job('  completions: 5\n'), job('  completions: 3\n'))).toEqual([
      '/spec/completions spec.completions: field is immutable',
    ]);
    expect(immutable(job('  completionMode: Indexed\n'), job(''))).toEqual([
      '/spec/completionMode spec.completionMode: field is immutable',
    ]);
    expect(
      immutable(
        job('  backoffLimitPerIndex: 2\n  completionMode: Indexed\n'),
        job('  completionMode: Indexed\n'),
      ),
    ).toEqual(['/spec/backoffLimitPerIndex spec.backoffLimitPerIndex: field is immutable']);
    // Defaults written out, parallelism and backoffLimit changed: no change the server refuses.
    expect(
      immutable(job('  completions: 1\n  completionMode: NonIndexed\n  backoffLimit: 2\n'), job('')),
    ).toEqual([]);
    expect(
      immutable(job('  parallelism: 4\n  completions: 1\n'), job('  parallelism: 2\n  completions: 1\n')),
    ).toEqual([]);
    // Elastic: an Indexed Job whose completions equal its parallelism, before and after.
    const indexed = (n: number, p = n) =>
      job(`  completionMode: Indexed\n  completions: ${n}\n  parallelism: ${p}\n`);
    expect(immutable(indexed(6), indexed(3))).toEqual([]);
    expect(immutable(indexed(6, 3), indexed(3))).toEqual([
      '/spec/completions spec.completions: can only be modified in tandem with spec.parallelism',
    ]);
    // The old spec need not have been elastic.
    expect(immutable(indexed(6), indexed(3, 2))).toEqual([]);
  });

  it("keeps a PriorityClass's value and preemption policy, an IngressClass's controller, a RuntimeClass's handler", () => {
    const priority = (extra: string) =>
      `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n${extra}`;
    expect(immutable(priority('').replace('1000', '2000'), priority(''))).toEqual([
      '/value value: may not be changed in an update.',
    ]);
    expect(immutable(priority('preemptionPolicy: Never\n'), priority(''))).toEqual([
      '/preemptionPolicy preemptionPolicy: field is immutable',
    ]);
    expect(
      immutable(
        priority('preemptionPolicy: PreemptLowerPriority\nglobalDefault: true\ndescription: x\n'),
        priority(''),
      ),
    ).toEqual([]);
    const ingressClass = (controller: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: web}\nspec: {controller: ${controller}}\n`;
    expect(immutable(ingressClass('example.com/b'), ingressClass('example.com/a'))).toEqual([
      '/spec/controller spec.controller: field is immutable',
    ]);
    const runtime = (handler: string) =>
      `apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: sandboxed}\nhandler: ${handler}\n`;
    expect(immutable(runtime('kata'), runtime('gvisor'))).toEqual(['/handler handler: field is immutable']);
  });

  it("keeps a PersistentVolume's source and volume mode, and lets the rest change", () => {
    const volume = (source: string, extra = '') =>
      `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: nfs-data}\nspec:\n  capacity: {storage: 10Gi}\n  accessModes: [ReadWriteMany]\n  ${source}${extra}\n`;
    const nfs = (path: string) => `nfs: {server: 10.0.0.5, path: ${path}}`;
    expect(immutable(volume(nfs('/b')), volume(nfs('/a')))).toEqual([
      '/spec/nfs spec.nfs: spec.persistentvolumesource is immutable after creation',
    ]);
    // Another kind of source: the new one is reported where it is written, the old one on the spec.
    expect(immutable(volume('hostPath: {path: /data}'), volume(nfs('/a')))).toEqual([
      '/spec/hostPath spec.hostPath: spec.persistentvolumesource is immutable after creation',
      '/spec spec.nfs: spec.persistentvolumesource is immutable after creation',
    ]);
    expect(immutable(volume(nfs('/a'), '\n  volumeMode: Block'), volume(nfs('/a')))).toEqual([
      '/spec/volumeMode spec.volumeMode: field is immutable',
    ]);
    // Capacity, reclaim policy, mount options and the like may change; a written default is no change.
    expect(
      immutable(
        volume(
          nfs('/a'),
          '\n  persistentVolumeReclaimPolicy: Retain\n  mountOptions: [nfsvers=4.1]\n  volumeMode: Filesystem',
        ),
        volume(nfs('/a')),
      ),
    ).toEqual([]);
  });

  it('says nothing of an object the sync recreates: hooks, Force=true, Flux force', () => {
    const job = (image: string, annotations: string) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop, annotations: {${annotations}}}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: m, image: ${image}}]}\n`;
    for (const annotations of [
      'argocd.argoproj.io/hook: PreSync',
      'helm.sh/hook: pre-upgrade',
      "argocd.argoproj.io/sync-options: 'Validate=false, Force=true,Replace=true'",
      "argocd.argoproj.io/sync-options: 'Force=true'",
      'kustomize.toolkit.fluxcd.io/force: enabled',
    ]) {
      expect(immutable(job('tool:2', annotations), job('tool:1', annotations)), annotations).toEqual([]);
    }
    // Replace=true alone is `kubectl replace`: an update, refused the same (Argo CD's e2e test and
    // issue #9163 need Force=true with it).
    for (const options of ['Prune=false', 'Replace=true', 'Force=false,Replace=true'])
      expect(
        immutable(job('tool:2', `argocd.argoproj.io/sync-options: '${options}'`), job('tool:1', '')),
        options,
      ).toEqual(['/spec/template spec.template: field is immutable']);
  });

  it('says nothing without previous objects, or for an object the change creates', () => {
    expect(immutable(deployment('shop'), '')).toEqual([]);
    expect(
      validateAfter(guardedNothing, deployment('shop'), undefined).filter(
        (d) => d.code === 'schema/immutable-field',
      ),
    ).toEqual([]);
  });
});
