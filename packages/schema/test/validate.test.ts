import { parseManifests } from '@shipshape/manifests';
import {
  BUNDLED_KUBERNETES_VERSIONS,
  crdDiffHints,
  diffHints,
  listKeys,
  loadKubernetesSchemas,
  resolveKubernetesVersion,
  type SchemaBundle,
  validateResources,
} from '@shipshape/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { definition } from './crd-fixtures.js';

let bundle: SchemaBundle;
beforeAll(async () => {
  bundle = await loadKubernetesSchemas('1.33');
});

function run(text: string, options: { strict?: boolean; version?: SchemaBundle; target?: string } = {}) {
  const set = parseManifests([{ path: 'm.yaml', content: text }]);
  expect(set.diagnostics).toEqual([]);
  return validateResources(set.resources, {
    bundle: options.version ?? bundle,
    locator: set.locator,
    ...(options.strict === undefined ? {} : { strict: options.strict }),
    ...(options.target === undefined ? {} : { kubernetesVersion: options.target }),
  });
}

const deployment = (containerExtra: string, specExtra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}${specExtra}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx${containerExtra}
`;

const valid: Array<[string, string]> = [
  ['a plain Deployment', deployment('')],
  [
    'int-or-string as a number and as a name',
    deployment(
      '\n          livenessProbe: {httpGet: {port: 8080}}\n          readinessProbe: {httpGet: {port: http}}',
    ),
  ],
  [
    'quantities as strings and numbers',
    deployment(
      '\n          resources: {requests: {cpu: 1, memory: 512Mi}, limits: {cpu: 1500m, memory: 1e9}}',
    ),
  ],
  ['null optional fields', deployment('\n          env: null\n          args: ~', '\n  replicas: null')],
  [
    'Service with a named targetPort',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, targetPort: http}]\n',
  ],
  [
    'ConfigMap with binaryData (base64)',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbinaryData: {k: aGVsbG8=}\n',
  ],
  [
    'RawExtension and preserve-unknown fields',
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ws.example.com}\nspec:\n  group: example.com\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {spec: {type: object}}}\n',
  ],
];

describe('valid resources pass', () => {
  it.each(valid)('%s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
});

const invalid: Array<[string, string, Array<[code: string, line: number, column: number]>]> = [
  [
    'a misspelt field, at its key, with a suggestion',
    deployment('\n          imagePullPolcy: Always'),
    [['schema/unknown-field', 13, 11]],
  ],
  ['a wrong type, at the value', deployment('', '\n  replicas: "3"'), [['schema/type', 7, 13]]],
  [
    'a bad quantity',
    deployment('\n          resources: {limits: {memory: 1Gix}}'),
    [['schema/format', 13, 40]],
  ],
  [
    'a missing required field, at the parent key',
    deployment('').replace('          image: nginx\n', '').replace('- name: web', '- image: nginx'),
    [['schema/missing-field', 11, 11]],
  ],
  ['an int32 out of range', deployment('', '\n  replicas: 4294967296'), [['schema/format', 7, 13]]],
  [
    'an int64 out of range',
    'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  activeDeadlineSeconds: 99999999999999999999\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n',
    [['schema/format', 5, 26]],
  ],
  [
    'the largest int64 is valid, one past it is not',
    'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  activeDeadlineSeconds: 9223372036854775807\n  backoffLimit: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: k}\nspec:\n  activeDeadlineSeconds: 9223372036854777856\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n',
    [['schema/format', 16, 26]],
  ],
  [
    'a bad date-time',
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, creationTimestamp: yesterday}\nspec:\n  schedule: "* * * * *"\n  jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: b}], restartPolicy: Never}}}}\n',
    [['schema/format', 3, 40]],
  ],
  [
    'a removed API',
    'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n',
    [['api/removed', 1, 13]],
  ],
  [
    'an unknown built-in kind',
    'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n',
    [['schema/unknown-kind', 2, 7]],
  ],
  [
    'a custom resource without a CRD',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
    [['schema/no-schema', 1, 13]],
  ],
];

describe('invalid resources give one diagnostic at the field', () => {
  it.each(invalid)('%s', (_name, text, want) => {
    const got = run(text);
    expect(got.map((d) => [d.code, d.span?.start.line, d.span?.start.column])).toEqual(want);
  });

  it('words messages for people', () => {
    const [typo] = run(deployment('\n          imagePullPolcy: Always'));
    expect(typo?.message).toBe(
      'unknown field `imagePullPolcy` in `spec.template.spec.containers[0]` — did you mean `imagePullPolicy`?',
    );
    expect(typo?.span?.end.column).toBe(25);
    const [type] = run(deployment('', '\n  replicas: "3"'));
    expect(type?.message).toBe('`spec.replicas` must be an integer, not a string');
    const [removed] = run('apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n');
    expect(removed?.message).toBe(
      'extensions/v1beta1 Ingress was removed in Kubernetes 1.22 (target 1.33); use networking.k8s.io/v1',
    );
  });
});

describe('strict mode', () => {
  it('allows unknown fields with strict: false, and still checks types', () => {
    expect(run(deployment('\n          imagePullPolcy: Always'), { strict: false })).toEqual([]);
    expect(run(deployment('', '\n  replicas: x'), { strict: false }).map((d) => d.code)).toEqual([
      'schema/type',
    ]);
  });
});

describe('metadata the API server rejects beyond its schema', () => {
  const meta = (kind: string, apiVersion: string, metadata: string, extra = '') =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: ${metadata}\n${extra}`;

  it('checks names by their kind, namespaces, label keys and values, and annotation keys', () => {
    const got = run(
      [
        meta('ConfigMap', 'v1', '{name: Web_App, namespace: Shop}'),
        meta('Service', 'v1', '{name: 1web}', 'spec: {ports: [{port: 80}]}\n'),
        meta('ClusterRole', 'rbac.authorization.k8s.io/v1', '{name: "system:controller:x"}', 'rules: []\n'),
        meta(
          'ConfigMap',
          'v1',
          '{name: ok, labels: {a/b/c: x, ok: "has space", Example.com/x: v}, annotations: {"-bad": z}}',
        ),
      ].join('---\n'),
    );
    expect(
      got.map((d) => [d.code, d.span?.start.line, d.message.split(' must ')[0]?.split(' is not ')[0]]),
    ).toEqual([
      ['schema/invalid-name', 3, 'name `Web_App`'],
      ['schema/invalid-name', 3, 'namespace `Shop`'],
      ['schema/invalid-name', 7, 'name `1web`'],
      ['schema/invalid-metadata', 17, 'label key `a/b/c`'],
      ['schema/invalid-metadata', 17, 'the value of label `ok`'],
      ['schema/invalid-metadata', 17, 'label key `Example.com/x`'],
      ['schema/invalid-metadata', 17, 'annotation key `-bad`'],
    ]);
  });

  it('takes the names the server takes: signer and IPv6 names, any CSR name, annotation keys in any case', () => {
    const got = run(
      [
        meta(
          'CertificateSigningRequest',
          'certificates.k8s.io/v1',
          '{name: My_CSR}',
          'spec: {request: Zm9v, signerName: example.com/x, usages: [digital signature]}\n',
        ),
        meta('ConfigMap', 'v1', '{name: ok, annotations: {Example.com/owner: team}}'),
        meta('ConfigMap', 'v1', '{name: $APP-config}'),
      ].join('---\n'),
    );
    expect(got.map((d) => d.code)).toEqual([]);
  });

  it("checks a workload's pod template labels, and leaves substitution variables alone", () => {
    const got = run(
      deployment('', '\n  replicas: 1').replace(
        'labels: {app: web}}',
        'labels: {app: web, tier: "front end"}}',
      ),
    );
    expect(got.map((d) => [d.code, d.path])).toEqual([
      ['schema/invalid-metadata', '/spec/template/metadata/labels/tier'],
    ]);
    const flux = meta(
      'ConfigMap',
      'v1',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Flux substitution variables, as users write them
      '{name: "app-${cluster}", namespace: "$(NS)", labels: {env: "${env:=dev}"}}',
    );
    expect(run(flux)).toEqual([]);
  });
});

describe('deprecated APIs per target version', () => {
  const pdb =
    'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1}\n';
  const flowSchema =
    'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec: {priorityLevelConfiguration: {name: x}}\n';

  it('is deprecated (warning, still validated) before removal and removed after', async () => {
    const v129 = await loadKubernetesSchemas('1.29');
    expect(run(flowSchema, { version: v129 }).map((d) => [d.code, d.severity])).toEqual([
      ['api/deprecated', 'warning'],
    ]);
    expect(run(flowSchema).map((d) => [d.code, d.severity])).toEqual([['api/removed', 'error']]);
    expect(run(pdb, { version: v129 }).map((d) => d.code)).toEqual(['api/removed']);
  });

  it('judges against the target version, not the bundle used for a version between bundles', async () => {
    const v129 = await loadKubernetesSchemas('1.29');
    const removed = run(flowSchema, { version: v129, target: '1.32' });
    expect(removed.map((d) => [d.code, d.message])).toEqual([
      [
        'api/removed',
        'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32 (target 1.32); use flowcontrol.apiserver.k8s.io/v1',
      ],
    ]);
    expect(run(flowSchema, { version: v129, target: '1.31' }).map((d) => d.code)).toEqual(['api/deprecated']);
    // Older than every bundle: an API removed since is deprecated there, and not validated.
    const ingress = 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec: {}\n';
    expect(run(ingress, { version: v129, target: '1.21' }).map((d) => [d.code, d.severity])).toEqual([
      ['api/deprecated', 'warning'],
      ['schema/no-schema', 'warning'],
    ]);
  });
});

describe('CRDs from the repository', () => {
  const crd = definition(
    'Widget',
    'widgets',
    `              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
                timeout: {type: string, format: duration}
                port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
              x-kubernetes-validations:
                - rule: self.size < 100
    - {name: v0, served: false, storage: false,
       schema: {openAPIV3Schema: {type: object,
         x-kubernetes-preserve-unknown-fields: true}}}
`,
  );
  const widget = (spec: string, version = 'v1') =>
    `---\napiVersion: example.com/${version}\nkind: Widget\nmetadata: {name: w, labels: {a: b}}\nspec: ${spec}\n`;

  it('validates custom resources against the served version, strict included', () => {
    const got = run(`${crd}${widget('{size: 0, colour: red, timeout: 5 minutes, port: http}')}`);
    const placed = got
      .map((d) => [d.code, d.span?.start.line, d.span?.start.column])
      .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]));
    expect(placed).toEqual([
      ['schema/invalid', 33, 14],
      ['schema/unknown-field', 33, 17],
      ['schema/format', 33, 39],
    ]);
    expect(got.find((d) => d.code === 'schema/unknown-field')?.message).toContain('unknown field `colour`');
  });

  it('accepts a valid custom resource, and reports versions that are not served', () => {
    expect(
      run(
        `${crd}${widget('{size: 3, timeout: 1m30s, port: 8080, template: {apiVersion: v1, kind: Pod, metadata: {name: p}, x: 1}}')}`,
      ).map((d) => d.code),
    ).toEqual([]);
    const v0 = run(`${crd}${widget('{size: 3}', 'v0')}`).filter((d) => d.code === 'schema/no-schema');
    expect(v0[0]?.message).toBe(
      'example.com/v0 Widget was not validated: the CustomResourceDefinitions for example.com among the checked files do not serve Widget in example.com/v0 (they serve Widget in example.com/v1)',
    );
  });

  it('validates the CustomResourceDefinition kind itself', () => {
    const bad = crd.replace('  scope: Namespaced\n', '  scope: Namespaced\n  scopes: wrong\n');
    expect(run(bad).map((d) => d.code)).toEqual(['schema/unknown-field']);
  });

  it('evaluates x-kubernetes-validations rules with CEL, and says which rules it cannot evaluate', () => {
    const ruled = crd.replace(
      '                - rule: self.size < 100\n',
      "                - rule: self.size < 100\n                  message: size must stay below 100\n                - rule: self.size >= oldSelf.size\n                - rule: quantity(self.port).isGreaterThan(quantity('0'))\n",
    );
    const got = run(
      `${ruled}${widget('{size: 500, port: "1"}')}${widget('{size: 600}').replace('name: w', 'name: w2')}`,
    );
    expect(got.map((d) => [d.code, d.severity, d.span?.start.line, d.message])).toEqual([
      ['schema/cel', 'error', 36, '`spec`: size must stay below 100 (rule `self.size < 100`)'],
      [
        'schema/cel-not-evaluated',
        'info',
        36,
        'rule `self.size >= oldSelf.size` on `spec` was not evaluated: it is a transition rule (oldSelf): it needs the object stored in the cluster',
      ],
      [
        'schema/cel-not-evaluated',
        'info',
        36,
        expect.stringMatching(/^rule `quantity\(self.port\).*` on `spec` was not evaluated: CEL: /),
      ],
      ['schema/cel', 'error', 41, '`spec`: size must stay below 100 (rule `self.size < 100`)'],
    ]);
  });

  it('words a failure with messageExpression, places it at fieldPath, and fails a rule reading an absent field', () => {
    const ruled = crd.replace(
      '                - rule: self.size < 100\n',
      "                - rule: self.size < 100\n                  messageExpression: \"'size ' + string(self.size) + ' is too big'\"\n                  fieldPath: .size\n                - rule: self.timeout.endsWith('s')\n                  message: timeout in seconds\n",
    );
    const got = run(`${ruled}${widget('{size: 500}')}`);
    expect(got.map((d) => [d.code, d.span?.start.line, d.span?.start.column, d.message])).toEqual([
      ['schema/cel', 37, 8, '`spec.size`: size 500 is too big (rule `self.size < 100`)'],
      [
        'schema/cel',
        37,
        1,
        "`spec`: timeout in seconds (the rule could not be evaluated: no such key: timeout) (rule `self.timeout.endsWith('s')`)",
      ],
    ]);
  });

  it("trims messageExpression's text, and falls back to message when it is empty, too long or of several lines", () => {
    const withMessage = (expression: string) =>
      crd.replace(
        '                - rule: self.size < 100\n',
        `                - rule: self.size < 100\n                  message: size below 100\n                  messageExpression: ${JSON.stringify(expression)}\n`,
      );
    const message = (expression: string) =>
      run(`${withMessage(expression)}${widget('{size: 500}')}`)[0]?.message;
    expect(message("'  too big  '")).toBe('`spec`: too big (rule `self.size < 100`)');
    expect(message("'too\\nbig'")).toBe('`spec`: size below 100 (rule `self.size < 100`)');
    expect(message("'   '")).toBe('`spec`: size below 100 (rule `self.size < 100`)');
    expect(message(`'${'x'.repeat(6000)}'`)).toBe('`spec`: size below 100 (rule `self.size < 100`)');
  });

  it('fills in defaults before it evaluates a rule, as the API server does', () => {
    const ruled = crd
      .replace(
        'timeout: {type: string, format: duration}',
        'timeout: {type: string, format: duration, default: 30s}',
      )
      .replace(
        '                - rule: self.size < 100\n',
        "                - rule: self.timeout.endsWith('s')\n",
      );
    expect(run(`${ruled}${widget('{size: 3}')}`)).toEqual([]);
    expect(run(`${ruled}${widget('{size: 3, timeout: 1m}')}`).map((d) => d.code)).toEqual(['schema/cel']);
  });

  it('fills in defaults inside objects, and of objects that are defaults themselves', () => {
    const ruled = crd
      .replace(
        'template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}',
        'tls: {type: object, default: {}, properties: {mode: {type: string, default: strict}}}',
      )
      .replace(
        '                - rule: self.size < 100\n',
        "                - rule: self.tls.mode == 'strict'\n",
      );
    expect(
      run(`${ruled}${widget('{size: 3}')}${widget('{size: 3, tls: {}}').replace('name: w', 'name: w2')}`),
    ).toEqual([]);
    expect(run(`${ruled}${widget('{size: 3, tls: {mode: loose}}')}`).map((d) => d.code)).toEqual([
      'schema/cel',
    ]);
  });

  it('reports a missing required field of a custom resource at its parent', () => {
    const got = run(`${crd}${widget('{timeout: 1s}')}`).filter((d) => d.code !== 'schema/cel-not-evaluated');
    expect(got.map((d) => [d.code, d.message])).toEqual([
      ['schema/missing-field', 'missing required field `size` in `spec`'],
    ]);
  });
});

/**
 * A v1 CRD of `example.com/v1` `kind` up to the properties of its `spec`, which the caller writes
 * next, indented by 16 spaces.
 */
function crdHeader(kind: string, plural: string): string {
  return definition(kind, plural, '              type: object\n              properties:');
}

describe('resources embedded in custom resources (x-kubernetes-embedded-resource)', () => {
  const embedded =
    '{type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}';
  const crd = `${crdHeader('Stamp', 'stamps')}
                template: ${embedded}
                templates: {type: array, items: ${embedded}}
                byName: {type: object, additionalProperties: ${embedded}}
`;
  const stamp = (spec: string) =>
    `---\napiVersion: example.com/v1\nkind: Stamp\nmetadata: {name: s}\nspec: ${spec}\n`;
  const got = (spec: string) => run(`${crd}${stamp(spec)}`).map((d) => [d.code, d.path, d.message]);

  it('takes embedded resources with a group/version, a kind and valid metadata', () => {
    expect(
      got(
        '{template: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop, labels: {app: web}}}, templates: [{apiVersion: v1, kind: configMap, metadata: {name: "Web:1"}}], byName: {a: {apiVersion: v1, kind: Secret}}}',
      ),
    ).toEqual([]);
  });

  it('reports what the apiextensions server refuses in them, at any depth the schema declares', () => {
    expect(
      got(
        '{template: {apiVersion: a/b/c, kind: My_Kind, metadata: {name: a/b, namespace: Shop, labels: {"bad key!": x}}}, templates: [{kind: Pod}, {apiVersion: "", kind: Pod}], byName: {a: {apiVersion: v1}}}',
      ),
    ).toEqual([
      [
        'schema/invalid',
        '/spec/template/apiVersion',
        '`apiVersion` of an embedded resource must be a version or group/version, such as `v1` or `apps/v1`, not `a/b/c`',
      ],
      [
        'schema/invalid',
        '/spec/template/kind',
        expect.stringMatching(
          /^`kind` of an embedded resource may have mixed case, but should otherwise be a DNS-1035 label/,
        ),
      ],
      [
        'schema/invalid-name',
        '/spec/template/metadata/name',
        expect.stringMatching(/^name `a\/b` must be a path segment/),
      ],
      [
        'schema/invalid-name',
        '/spec/template/metadata/namespace',
        expect.stringMatching(/^namespace `Shop` must be a DNS label/),
      ],
      [
        'schema/invalid-metadata',
        '/spec/template/metadata/labels/bad key!',
        expect.stringMatching(/^label key `bad key!` is not valid/),
      ],
      [
        'schema/missing-field',
        '/spec/templates/0',
        'missing required field `apiVersion` in `spec.templates[0]` (an embedded resource)',
      ],
      [
        'schema/invalid',
        '/spec/templates/1/apiVersion',
        '`apiVersion` of an embedded resource must not be empty',
      ],
      [
        'schema/missing-field',
        '/spec/byName/a',
        'missing required field `kind` in `spec.byName.a` (an embedded resource)',
      ],
    ]);
  });

  it('leaves values still holding a substitution variable alone', () => {
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the input holds Flux-style variables
      got('{template: {apiVersion: "${GROUP}/v1", kind: "${KIND}", metadata: {name: "${NAME}/x"}}}'),
    ).toEqual([]);
  });
});

describe('set and map lists of custom resources (x-kubernetes-list-type)', () => {
  const listCrd = `${crdHeader('Lists', 'lists')}
                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                sizes: {type: array, x-kubernetes-list-type: set, items: {type: integer}}
                ids: {type: array, x-kubernetes-list-type: set, items: {x-kubernetes-int-or-string: true}}
                selectors:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: object, x-kubernetes-map-type: atomic, additionalProperties: {type: string}}
                hosts:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      ip: {type: string}
                      aliases: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [port, protocol]
                  items:
                    type: object
                    required: [port]
                    properties: {port: {type: integer}, protocol: {type: string, default: TCP}}
                matrix: {type: array, items: {type: array, x-kubernetes-list-type: set, items: {type: string}}}
                groups:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: array, x-kubernetes-list-type: atomic, items: {type: string}}
                byZone: {type: object, additionalProperties: {type: array, x-kubernetes-list-type: set, items: {type: string}}}
                plain: {type: array, items: {type: string}}
                frozen: {type: array, x-kubernetes-list-type: atomic, items: {type: string}}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
  const lists = (spec: string, metadata = '{name: l}') =>
    `${listCrd}---\napiVersion: example.com/v1\nkind: Lists\nmetadata: ${metadata}\nspec: ${spec}\n`;
  const specLine = listCrd.split('\n').length + 4;

  // [name, spec, findings as [code, pointer, column], all on the spec line]
  const cases: Array<[string, string, Array<[code: string, pointer: string, column: number]>]> = [
    ['a set of strings with a repeat', '{tags: [a, b, a]}', [['schema/invalid', '/spec/tags/2', 21]]],
    ['a set of strings without one', '{tags: [a, b, c]}', []],
    [
      'a set of integers: every repeat, each naming the first',
      '{sizes: [1, 2, 1, 1]}',
      [
        ['schema/invalid', '/spec/sizes/2', 22],
        ['schema/invalid', '/spec/sizes/3', 25],
      ],
    ],
    ['a set of int-or-string: 1 and "1" differ', '{ids: [1, "1"]}', []],
    [
      'a set of atomic objects, whatever the key order',
      '{selectors: [{a: p, b: q}, {b: q, a: p}, {a: p}]}',
      [['schema/invalid', '/spec/selectors/1', 34]],
    ],
    [
      'a set of atomic lists, where order counts',
      '{groups: [[a, b], [b, a], [a, b]]}',
      [['schema/invalid', '/spec/groups/2', 33]],
    ],
    [
      'a map list with one key',
      '{hosts: [{name: a, ip: 1.1.1.1}, {name: b}, {name: a, ip: 2.2.2.2}]}',
      [['schema/invalid', '/spec/hosts/2', 51]],
    ],
    [
      'a map list with two keys, an absent key taking its default',
      '{ports: [{port: 80}, {port: 80, protocol: UDP}, {port: 80, protocol: TCP}]}',
      [['schema/invalid', '/spec/ports/2', 55]],
    ],
    [
      'a map list whose key is missing in two items: both missing, and alike',
      '{hosts: [{ip: a}, {ip: b}]}',
      [
        ['schema/missing-field', '/spec/hosts/0', 16],
        ['schema/missing-field', '/spec/hosts/1', 25],
        ['schema/invalid', '/spec/hosts/1', 25],
      ],
    ],
    [
      'a map list holding scalars: only their type is reported',
      '{hosts: [a, a]}',
      [
        ['schema/type', '/spec/hosts/0', 16],
        ['schema/type', '/spec/hosts/1', 19],
      ],
    ],
    [
      'sets inside a plain list, each checked',
      '{matrix: [[a, a], [b, b], [c]]}',
      [
        ['schema/invalid', '/spec/matrix/0/1', 21],
        ['schema/invalid', '/spec/matrix/1/1', 29],
      ],
    ],
    [
      'a set inside an item of a map list',
      '{hosts: [{name: a, aliases: [x, x]}]}',
      [['schema/invalid', '/spec/hosts/0/aliases/1', 39]],
    ],
    [
      'a set under additionalProperties',
      '{byZone: {eu: [x, z, x]}}',
      [['schema/invalid', '/spec/byZone/eu/2', 28]],
    ],
    ['a list without a list type, and an atomic one', '{plain: [a, a], frozen: [a, a]}', []],
    ['a list in preserved unknown fields', '{extra: {tags: [a, a]}}', []],
  ];

  it.each(cases)('%s', (_name, spec, want) => {
    const got = run(lists(spec));
    expect(got.map((d) => [d.code, d.path, d.span?.start.column])).toEqual(want);
    for (const d of got) expect(d.span?.start.line).toBe(specLine);
  });

  it('words duplicates as the first item and the value or key values they share', () => {
    const message = (spec: string) => run(lists(spec)).map((d) => d.message);
    expect(message('{tags: [a, b, a]}')).toEqual([
      '`spec.tags[2]` duplicates `spec.tags[0]` ("a"): a list with x-kubernetes-list-type set holds each value once',
    ]);
    expect(message('{ports: [{port: 80}, {port: 80, protocol: TCP}]}')).toEqual([
      '`spec.ports[1]` has the same key as `spec.ports[0]` (port: 80, protocol: "TCP"): a list with x-kubernetes-list-type map holds each key once',
    ]);
    expect(message('{hosts: [{ip: a}, {ip: b}]}').at(-1)).toBe(
      '`spec.hosts[1]` has the same key as `spec.hosts[0]` (name unset): a list with x-kubernetes-list-type map holds each key once',
    );
    expect(message('{matrix: [[a, a]]}')).toEqual([
      '`spec.matrix[0][1]` duplicates `spec.matrix[0][0]` ("a"): a list with x-kubernetes-list-type set holds each value once',
    ]);
  });

  it('leaves the metadata of a custom resource to the API server, and built-in kinds alone', () => {
    // ObjectMeta's finalizers are a set in the Kubernetes OpenAPI, as a container's env and ports
    // are map lists: those annotations serve server-side apply, and the API server accepts
    // duplicates there (with a warning for env), so only CRD schemas get the check.
    expect(run(lists('{tags: [a]}', '{name: l, finalizers: [example.com/f, example.com/f]}'))).toEqual([]);
    expect(
      run(
        deployment(
          '\n          env: [{name: A, value: "1"}, {name: A, value: "2"}]\n          ports: [{containerPort: 80}, {containerPort: 80}]',
        ),
      ),
    ).toEqual([]);
  });
});

describe('versions', () => {
  it('bundles 1.29, 1.33 and 1.35 and resolves in-between versions to the nearest older one', () => {
    expect(BUNDLED_KUBERNETES_VERSIONS).toEqual(['1.29', '1.33', '1.35']);
    expect(resolveKubernetesVersion()).toEqual({ version: '1.35', requested: '1.35' });
    expect(resolveKubernetesVersion('v1.33.4')).toEqual({ version: '1.33', requested: '1.33' });
    expect(resolveKubernetesVersion('1.34').version).toBe('1.33');
    expect(resolveKubernetesVersion('1.34').note).toBe(
      'no schemas for Kubernetes 1.34 are bundled; using 1.33, the nearest older',
    );
    expect(resolveKubernetesVersion('1.20').version).toBe('1.29');
    expect(() => resolveKubernetesVersion('latest')).toThrow(RangeError);
  });

  it('knows which kinds each version serves', async () => {
    const v129 = await loadKubernetesSchemas('1.29');
    const v135 = await loadKubernetesSchemas('1.35');
    expect(v129.kinds['flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema']).toBeDefined();
    expect(bundle.kinds['flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema']).toBeUndefined();
    expect(v135.kinds['apps/v1/Deployment']).toBe('io.k8s.api.apps.v1.Deployment');
    expect([bundle.namespaced['apps/v1/Deployment'], bundle.namespaced['v1/Namespace']]).toEqual([
      true,
      false,
    ]);
  });
});

describe('list keys for the diff engine', () => {
  it('exposes list-map keys and patch merge keys', () => {
    const keys = listKeys(bundle, 'apps/v1/Deployment');
    expect(keys.find((k) => k.path === '/spec/template/spec/containers')).toEqual({
      path: '/spec/template/spec/containers',
      listType: 'map',
      mapKeys: ['name'],
      patchMergeKey: 'name',
      patchStrategy: 'merge',
    });
    expect(keys.find((k) => k.path === '/spec/template/spec/containers/*/ports')).toMatchObject({
      listType: 'map',
      mapKeys: ['containerPort', 'protocol'],
      patchMergeKey: 'containerPort',
    });
    expect(listKeys(bundle, 'example.com/v1/Widget')).toEqual([]);
  });

  it('names quantity and int-or-string fields, including map values, and whether the kind is namespaced', () => {
    const hints = diffHints(bundle, 'apps/v1/Deployment');
    expect(hints.namespaced).toBe(true);
    expect(hints.quantities).toContain('/spec/template/spec/containers/*/resources/limits/*');
    expect(hints.quantities).toContain('/spec/template/spec/volumes/*/emptyDir/sizeLimit');
    expect(hints.intOrString).toContain('/spec/strategy/rollingUpdate/maxSurge');
    expect(hints.intOrString).toContain('/spec/template/spec/containers/*/livenessProbe/httpGet/port');
    expect(hints.quantities).not.toContain('/spec/replicas');
    expect(diffHints(bundle, 'v1/Service').intOrString).toEqual(['/spec/ports/*/targetPort']);
    expect(diffHints(bundle, 'rbac.authorization.k8s.io/v1/ClusterRole').namespaced).toBe(false);
    expect(diffHints(bundle, 'example.com/v1/Widget')).toEqual({
      lists: [],
      quantities: [],
      intOrString: [],
    });
  });

  it('reads keyed lists, int-or-string fields and the scope of a CustomResourceDefinition, per version', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gateways.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { kind: 'Gateway', plural: 'gateways' },
        versions: [
          {
            name: 'v1',
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      listeners: {
                        type: 'array',
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['port', 'protocol'],
                        items: {
                          type: 'object',
                          properties: {
                            port: { type: 'integer' },
                            target: { 'x-kubernetes-int-or-string': true },
                          },
                        },
                      },
                      hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
          { name: 'v2' },
        ],
      },
    };
    const hints = crdDiffHints(crd);
    expect([...hints.keys()]).toEqual(['example.com/v1/Gateway', 'example.com/v2/Gateway']);
    expect(hints.get('example.com/v1/Gateway')).toEqual({
      namespaced: false,
      lists: [
        { path: '/spec/hosts', listType: 'set' },
        { path: '/spec/listeners', listType: 'map', mapKeys: ['port', 'protocol'] },
      ],
      quantities: [],
      intOrString: ['/spec/listeners/*/target'],
    });
    expect(hints.get('example.com/v2/Gateway')?.lists).toEqual([]);
    expect(crdDiffHints({ kind: 'CustomResourceDefinition', spec: 'nonsense' }).size).toBe(0);
  });
});
