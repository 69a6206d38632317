import type { Diagnostic } from '@shipshape/core';
import { parseManifests } from '@shipshape/manifests';
import { loadKubernetesSchemas, type SchemaBundle, validateResources } from '@shipshape/schema';
import { beforeAll, describe, expect, it } from 'vitest';

let bundle: SchemaBundle;
beforeAll(async () => {
  bundle = await loadKubernetesSchemas('1.33');
});

// A kind with the transition rules kubebuilder writes: an immutable field, a bound on how far a
// value may move, and a rule on the items of a map list (correlated by their key).
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: volumes.example.com}
spec:
  group: example.com
  names: {kind: Volume, plural: volumes}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
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
`;

const volume = (spec: string, name = 'data') =>
  `apiVersion: example.com/v1\nkind: Volume\nmetadata: {name: ${name}, namespace: shop}\nspec: ${spec}\n`;

/** Validate `now` (after the CRD) with the objects of `before` as the previous ones. */
function validate(now: string, before?: string): Diagnostic[] {
  const set = parseManifests([{ path: 'm.yaml', content: `${crd}---\n${now}` }]);
  expect(set.diagnostics).toEqual([]);
  const previous =
    before === undefined
      ? undefined
      : parseManifests([{ path: 'old.yaml', content: before, ref: 'main' }]).resources;
  return validateResources(set.resources, {
    bundle,
    locator: set.locator,
    ...(previous === undefined ? {} : { previous }),
  });
}

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
