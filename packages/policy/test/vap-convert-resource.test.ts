import { describe, expect, it } from 'vitest';
import {
  DEVICE_CLASS_CONVERSION,
  RESOURCE_CLAIM_CONVERSION,
  RESOURCE_CLAIM_TEMPLATE_CONVERSION,
  RESOURCE_SLICE_CONVERSION,
} from '../src/vap/convert-resource.js';
import { type CelObject, convertBuiltIn } from '../src/vap/convert-versions.js';
import { binding, type Obj, policy, runVap } from './vap-fixtures.js';

// resource.k8s.io objects as CEL sees them (integers as bigint), converted as the API server
// converts them for a policy whose rule names another served version (pkg/apis/resource/*/conversion.go).

const GROUP = 'resource.k8s.io';
const gv = (version: string) => ({ group: GROUP, version });

/** `object` (written in `from`) as version `to` of `resource` writes it; the input is left alone. */
function convert(object: CelObject, from: string, to: string, resource: string): CelObject {
  return convertBuiltIn(structuredClone(object), gv(from), gv(to), resource);
}

const claim = (version: string, requests: unknown[], extra: Obj = {}): CelObject => ({
  apiVersion: `${GROUP}/${version}`,
  kind: 'ResourceClaim',
  metadata: { name: 'c', namespace: 'x' },
  spec: { devices: { requests } },
  ...extra,
});

const template = (version: string, requests: unknown[]): CelObject => ({
  apiVersion: `${GROUP}/${version}`,
  kind: 'ResourceClaimTemplate',
  metadata: { name: 't', namespace: 'x' },
  spec: { metadata: { labels: { a: 'b' } }, spec: { devices: { requests } } },
});

const slice = (version: string, spec: Obj): CelObject => ({
  apiVersion: `${GROUP}/${version}`,
  kind: 'ResourceSlice',
  metadata: { name: 's' },
  spec: { driver: 'gpu.example.com', pool: { name: 'p', generation: 1n, resourceSliceCount: 1n }, ...spec },
});

const SELECTOR = { cel: { expression: "device.driver == 'gpu.example.com'" } };
const TOLERATION = { key: 'k', operator: 'Exists', effect: 'NoSchedule' };
const SUB = {
  name: 'small',
  deviceClassName: 'gpu.example.com',
  allocationMode: 'ExactCount',
  count: 1n,
};

interface Case {
  readonly name: string;
  readonly resource: string;
  readonly from: string;
  readonly to: string;
  readonly input: CelObject;
  readonly want: CelObject;
}

const CLAIM_CASES: readonly Case[] = [
  {
    name: 'v1beta1 flat request → v1 exactly',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1',
    input: claim('v1beta1', [
      {
        name: 'gpu',
        deviceClassName: 'gpu.example.com',
        selectors: [SELECTOR],
        allocationMode: 'ExactCount',
        count: 2n,
        adminAccess: true,
        tolerations: [TOLERATION],
        capacity: { requests: { memory: '4Gi' } },
      },
    ]),
    want: claim('v1', [
      {
        name: 'gpu',
        exactly: {
          deviceClassName: 'gpu.example.com',
          selectors: [SELECTOR],
          allocationMode: 'ExactCount',
          count: 2n,
          adminAccess: true,
          tolerations: [TOLERATION],
          capacity: { requests: { memory: '4Gi' } },
        },
      },
    ]),
  },
  {
    name: 'v1 exactly → v1beta1 flat request',
    resource: 'resourceclaims',
    from: 'v1',
    to: 'v1beta1',
    input: claim('v1', [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', count: 3n } }]),
    want: claim('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com', count: 3n }]),
  },
  {
    name: 'v1beta1 → v1beta2 (same shape as v1)',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1beta2',
    input: claim('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com', allocationMode: 'All' }]),
    want: claim('v1beta2', [
      { name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'All' } },
    ]),
  },
  {
    name: 'v1beta1 prioritized list: no exactly, subrequests kept',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1',
    input: claim('v1beta1', [{ name: 'gpu', firstAvailable: [SUB] }]),
    want: claim('v1', [{ name: 'gpu', firstAvailable: [SUB] }]),
  },
  {
    name: 'v1 prioritized list → v1beta1 writes an empty class (no omitempty)',
    resource: 'resourceclaims',
    from: 'v1',
    to: 'v1beta1',
    input: claim('v1', [{ name: 'gpu', firstAvailable: [SUB] }]),
    want: claim('v1beta1', [{ name: 'gpu', firstAvailable: [SUB], deviceClassName: '' }]),
  },
  {
    name: 'v1beta1 zero values only: not set, no exactly',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1',
    input: claim('v1beta1', [
      { name: 'gpu', deviceClassName: '', allocationMode: '', count: 0n, adminAccess: null },
    ]),
    want: claim('v1', [{ name: 'gpu' }]),
  },
  {
    name: 'v1beta1 empty selector list counts as set: exactly with an empty class',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1',
    input: claim('v1beta1', [{ name: 'gpu', selectors: [] }]),
    want: claim('v1', [{ name: 'gpu', exactly: { deviceClassName: '', selectors: [] } }]),
  },
  {
    name: 'v1beta1 zero count beside a class is not carried',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1',
    input: claim('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com', count: 0n }]),
    want: claim('v1', [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }]),
  },
  {
    name: 'v1 → v1alpha3: flat, without the request capacity v1alpha3 lacks',
    resource: 'resourceclaims',
    from: 'v1',
    to: 'v1alpha3',
    input: claim('v1', [
      {
        name: 'gpu',
        exactly: {
          deviceClassName: 'gpu.example.com',
          tolerations: [TOLERATION],
          capacity: { requests: { memory: '4Gi' } },
        },
      },
    ]),
    want: claim('v1alpha3', [{ name: 'gpu', deviceClassName: 'gpu.example.com', tolerations: [TOLERATION] }]),
  },
  {
    name: 'v1alpha3 → v1beta1 (1.32, 1.33): flat on both sides',
    resource: 'resourceclaims',
    from: 'v1alpha3',
    to: 'v1beta1',
    input: claim('v1alpha3', [{ name: 'gpu', deviceClassName: 'gpu.example.com', allocationMode: 'All' }]),
    want: claim('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com', allocationMode: 'All' }]),
  },
  {
    name: 'v1beta1 → v1: status and other spec fields untouched',
    resource: 'resourceclaims',
    from: 'v1beta1',
    to: 'v1',
    input: claim('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com' }], {
      status: {
        allocation: {
          devices: {
            results: [
              { request: 'gpu', driver: 'gpu.example.com', pool: 'p', device: 'd0', adminAccess: true },
            ],
          },
        },
        reservedFor: [{ resource: 'pods', name: 'p', uid: 'u' }],
      },
    }),
    want: claim('v1', [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }], {
      status: {
        allocation: {
          devices: {
            results: [
              { request: 'gpu', driver: 'gpu.example.com', pool: 'p', device: 'd0', adminAccess: true },
            ],
          },
        },
        reservedFor: [{ resource: 'pods', name: 'p', uid: 'u' }],
      },
    }),
  },
  {
    name: 'v1beta2 → v1: only apiVersion',
    resource: 'resourceclaims',
    from: 'v1beta2',
    to: 'v1',
    input: claim('v1beta2', [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }]),
    want: claim('v1', [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }]),
  },
  {
    name: 'template v1beta1 → v1: the claim spec inside converts',
    resource: 'resourceclaimtemplates',
    from: 'v1beta1',
    to: 'v1',
    input: template('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com', count: 1n }]),
    want: template('v1', [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', count: 1n } }]),
  },
  {
    name: 'template v1 → v1beta1',
    resource: 'resourceclaimtemplates',
    from: 'v1',
    to: 'v1beta1',
    input: template('v1', [
      { name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'All' } },
    ]),
    want: template('v1beta1', [{ name: 'gpu', deviceClassName: 'gpu.example.com', allocationMode: 'All' }]),
  },
];

const ATTRIBUTES = { model: { string: 'a100' }, cores: { int: 108n } };
const TAINT = { key: 'broken', value: 'yes', effect: 'NoExecute' };
const COUNTERS = [{ counterSet: 'gpu-0', counters: { memory: { value: '40Gi' } } }];

const SLICE_CASES: readonly Case[] = [
  {
    name: 'v1beta1 basic devices → v1 flat devices',
    resource: 'resourceslices',
    from: 'v1beta1',
    to: 'v1',
    input: slice('v1beta1', {
      nodeName: 'node-1',
      devices: [
        {
          name: 'd0',
          basic: {
            attributes: ATTRIBUTES,
            capacity: { memory: { value: '40Gi' } },
            consumesCounters: COUNTERS,
            taints: [TAINT],
            bindsToNode: true,
            allowMultipleAllocations: false,
          },
        },
        { name: 'd1', basic: {} },
      ],
    }),
    want: slice('v1', {
      nodeName: 'node-1',
      devices: [
        {
          name: 'd0',
          attributes: ATTRIBUTES,
          capacity: { memory: { value: '40Gi' } },
          consumesCounters: COUNTERS,
          taints: [TAINT],
          bindsToNode: true,
          allowMultipleAllocations: false,
        },
        { name: 'd1' },
      ],
    }),
  },
  {
    name: 'v1 flat devices → v1beta1 basic (always written)',
    resource: 'resourceslices',
    from: 'v1',
    to: 'v1beta1',
    input: slice('v1', {
      allNodes: true,
      devices: [
        { name: 'd0', attributes: ATTRIBUTES, capacity: { memory: { value: '40Gi' } }, nodeName: 'node-2' },
        { name: 'd1' },
      ],
    }),
    want: slice('v1beta1', {
      allNodes: true,
      devices: [
        {
          name: 'd0',
          basic: { attributes: ATTRIBUTES, capacity: { memory: { value: '40Gi' } }, nodeName: 'node-2' },
        },
        { name: 'd1', basic: {} },
      ],
    }),
  },
  {
    name: 'v1beta1 empty nodeName and false allNodes are unset in v1',
    resource: 'resourceslices',
    from: 'v1beta1',
    to: 'v1',
    input: slice('v1beta1', {
      nodeName: '',
      allNodes: false,
      nodeSelector: { nodeSelectorTerms: [] },
      devices: [],
    }),
    want: slice('v1', { nodeSelector: { nodeSelectorTerms: [] }, devices: [] }),
  },
  {
    name: 'v1 empty nodeName and false allNodes are omitted by v1beta1',
    resource: 'resourceslices',
    from: 'v1',
    to: 'v1beta1',
    input: slice('v1', { nodeName: '', allNodes: false, perDeviceNodeSelection: true, devices: [] }),
    want: slice('v1beta1', { perDeviceNodeSelection: true, devices: [] }),
  },
  {
    name: 'v1beta2 → v1: only apiVersion (empty nodeName kept)',
    resource: 'resourceslices',
    from: 'v1beta2',
    to: 'v1',
    input: slice('v1beta2', { nodeName: '', devices: [{ name: 'd0', attributes: ATTRIBUTES }] }),
    want: slice('v1', { nodeName: '', devices: [{ name: 'd0', attributes: ATTRIBUTES }] }),
  },
  {
    name: 'v1alpha3 bare capacity quantities → v1beta2 values',
    resource: 'resourceslices',
    from: 'v1alpha3',
    to: 'v1beta2',
    input: slice('v1alpha3', {
      nodeName: 'node-1',
      devices: [{ name: 'd0', basic: { attributes: ATTRIBUTES, capacity: { memory: '40Gi', slots: 4n } } }],
    }),
    want: slice('v1beta2', {
      nodeName: 'node-1',
      devices: [
        { name: 'd0', attributes: ATTRIBUTES, capacity: { memory: { value: '40Gi' }, slots: { value: 4n } } },
      ],
    }),
  },
  {
    name: 'v1beta2 → v1alpha3: bare quantities, fields v1alpha3 lacks dropped',
    resource: 'resourceslices',
    from: 'v1beta2',
    to: 'v1alpha3',
    input: slice('v1beta2', {
      nodeName: 'node-1',
      devices: [
        {
          name: 'd0',
          capacity: { memory: { value: '40Gi', requestPolicy: { default: '1Gi' } } },
          taints: [TAINT],
          bindsToNode: true,
          bindingConditions: ['ready'],
          allowMultipleAllocations: true,
        },
      ],
    }),
    want: slice('v1alpha3', {
      nodeName: 'node-1',
      devices: [{ name: 'd0', basic: { capacity: { memory: '40Gi' }, taints: [TAINT] } }],
    }),
  },
  // `constructor` is a valid capacity name (a C identifier); CEL sees a map with it as a `Map`.
  {
    name: 'v1alpha3 → v1: a capacity named constructor gets its value wrapper too',
    resource: 'resourceslices',
    from: 'v1alpha3',
    to: 'v1',
    input: slice('v1alpha3', {
      devices: [
        {
          name: 'd0',
          basic: {
            capacity: new Map([
              ['constructor', '1Gi'],
              ['memory', '2Gi'],
            ]),
          },
        },
      ],
    }),
    want: slice('v1', {
      devices: [
        {
          name: 'd0',
          capacity: new Map([
            ['constructor', { value: '1Gi' }],
            ['memory', { value: '2Gi' }],
          ]),
        },
      ],
    }),
  },
  {
    name: 'v1 → v1alpha3: a capacity named constructor loses its value wrapper too',
    resource: 'resourceslices',
    from: 'v1',
    to: 'v1alpha3',
    input: slice('v1', {
      devices: [{ name: 'd0', capacity: new Map([['constructor', { value: '1Gi' }]]) }],
    }),
    want: slice('v1alpha3', {
      devices: [{ name: 'd0', basic: { capacity: new Map([['constructor', '1Gi']]) } }],
    }),
  },
  {
    name: 'v1alpha3 → v1beta1 (1.32, 1.33): capacity gets its value wrapper',
    resource: 'resourceslices',
    from: 'v1alpha3',
    to: 'v1beta1',
    input: slice('v1alpha3', {
      allNodes: true,
      devices: [{ name: 'd0', basic: { capacity: { memory: '1Gi' } } }],
    }),
    want: slice('v1beta1', {
      allNodes: true,
      devices: [{ name: 'd0', basic: { capacity: { memory: { value: '1Gi' } } } }],
    }),
  },
];

const DEVICE_CLASS: CelObject = {
  apiVersion: `${GROUP}/v1beta1`,
  kind: 'DeviceClass',
  metadata: { name: 'gpu.example.com' },
  spec: {
    selectors: [SELECTOR],
    config: [{ opaque: { driver: 'gpu.example.com', parameters: { a: 1n } } }],
  },
};

describe('resource.k8s.io conversions: ResourceClaim and ResourceClaimTemplate', () => {
  it.each(CLAIM_CASES)('$name', (c) => {
    expect(convert(c.input, c.from, c.to, c.resource)).toEqual(c.want);
  });
});

describe('resource.k8s.io conversions: ResourceSlice', () => {
  it.each(SLICE_CASES)('$name', (c) => {
    expect(convert(c.input, c.from, c.to, c.resource)).toEqual(c.want);
  });
});

describe('resource.k8s.io conversions: DeviceClass', () => {
  it.each(['v1alpha3', 'v1beta2', 'v1'])('v1beta1 → %s changes only apiVersion', (to) => {
    expect(convert(DEVICE_CLASS, 'v1beta1', to, 'deviceclasses')).toEqual({
      ...DEVICE_CLASS,
      apiVersion: `${GROUP}/${to}`,
    });
  });
});

// Objects each version writes in its canonical form: converting to any other served version and
// back gives them again.
const ROUND_TRIPS: readonly { readonly resource: string; readonly object: CelObject }[] = [
  {
    resource: 'resourceclaims',
    object: claim('v1beta1', [
      {
        name: 'a',
        deviceClassName: 'gpu.example.com',
        selectors: [SELECTOR],
        count: 2n,
        tolerations: [TOLERATION],
      },
      { name: 'b', firstAvailable: [SUB], deviceClassName: '' },
    ]),
  },
  {
    resource: 'resourceclaims',
    object: claim('v1', [
      {
        name: 'a',
        exactly: { deviceClassName: 'gpu.example.com', adminAccess: true, capacity: { requests: {} } },
      },
      { name: 'b', firstAvailable: [SUB] },
    ]),
  },
  {
    resource: 'resourceclaimtemplates',
    object: template('v1beta1', [{ name: 'a', deviceClassName: 'gpu.example.com', allocationMode: 'All' }]),
  },
  {
    resource: 'resourceslices',
    object: slice('v1beta1', {
      nodeName: 'node-1',
      devices: [
        { name: 'd0', basic: { attributes: ATTRIBUTES, capacity: { m: { value: '1' } } } },
        { name: 'd1', basic: {} },
      ],
    }),
  },
  {
    resource: 'resourceslices',
    object: slice('v1', {
      allNodes: true,
      sharedCounters: [{ name: 'gpu-0', counters: { memory: { value: '40Gi' } } }],
      devices: [{ name: 'd0', consumesCounters: COUNTERS, taints: [TAINT] }],
    }),
  },
];

describe('resource.k8s.io conversions: round trips', () => {
  const cases = ROUND_TRIPS.flatMap(({ resource, object }) => {
    const from = String(object['apiVersion']).split('/')[1] ?? '';
    return ['v1beta1', 'v1beta2', 'v1']
      .filter((via) => via !== from)
      .map((via) => ({ name: `${resource} ${from} → ${via} → ${from}`, resource, from, via, object }));
  });

  it.each(cases)('$name', ({ resource, from, via, object }) => {
    const there = convert(object, from, via, resource);
    expect(there['apiVersion']).toBe(`${GROUP}/${via}`);
    expect(convert(there, via, from, resource)).toEqual(object);
  });

  it('a flat request with no class comes back with an empty one, as the server writes it', () => {
    const written = claim('v1beta1', [{ name: 'b', firstAvailable: [SUB] }]);
    const back = convert(
      convert(written, 'v1beta1', 'v1', 'resourceclaims'),
      'v1',
      'v1beta1',
      'resourceclaims',
    );
    expect(back).toEqual(claim('v1beta1', [{ name: 'b', firstAvailable: [SUB], deviceClassName: '' }]));
  });

  it('registers one conversion per resource.k8s.io storage it models', () => {
    expect(
      [
        DEVICE_CLASS_CONVERSION,
        RESOURCE_CLAIM_CONVERSION,
        RESOURCE_CLAIM_TEMPLATE_CONVERSION,
        RESOURCE_SLICE_CONVERSION,
      ].flatMap((c) => c.resources),
    ).toEqual([
      'resource.k8s.io/deviceclasses',
      'resource.k8s.io/resourceclaims',
      'resource.k8s.io/resourceclaimtemplates',
      'resource.k8s.io/resourceslices',
    ]);
  });
});

// Through the policy engine: a policy on one version sees an object written in another, converted.
describe('resource.k8s.io conversions: seen by a policy under matchPolicy Equivalent', () => {
  function seen(target: Obj, version: string, resource: string, message: string, kubernetesVersion: string) {
    const resourceRules = [
      { apiGroups: [GROUP], apiVersions: [version], operations: ['CREATE'], resources: [resource] },
    ];
    return runVap(
      [
        target,
        policy('show', {
          matchConstraints: { resourceRules },
          validations: [{ expression: 'false', messageExpression: message }],
        }),
        binding('show', {}),
      ],
      { kubernetesVersion },
    ).map((d) => d.message);
  }

  const V1BETA1_CLAIM: Obj = {
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'ResourceClaim',
    metadata: { name: 'c', namespace: 'x' },
    spec: { devices: { requests: [{ name: 'gpu', deviceClassName: 'gpu.example.com', count: 2 }] } },
  };
  const EXACTLY =
    "object.apiVersion + ' ' + object.spec.devices.requests[0].exactly.deviceClassName + ' ' + string(object.spec.devices.requests[0].exactly.count) + ' ' + string('deviceClassName' in object.spec.devices.requests[0])";

  it.each(['1.34', '1.35'])('a v1 policy reads exactly from a v1beta1 claim at %s', (kubernetesVersion) => {
    expect(seen(V1BETA1_CLAIM, 'v1', 'resourceclaims', EXACTLY, kubernetesVersion)).toEqual([
      'resource.k8s.io/v1 gpu.example.com 2 false',
    ]);
  });

  it('does not match at 1.33, which serves no v1', () => {
    expect(seen(V1BETA1_CLAIM, 'v1', 'resourceclaims', EXACTLY, '1.33')).toEqual([]);
  });

  it('a v1beta1 policy reads flat fields and basic devices from v1 objects', () => {
    const v1Claim: Obj = {
      apiVersion: `${GROUP}/v1`,
      kind: 'ResourceClaim',
      metadata: { name: 'c', namespace: 'x' },
      spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }] } },
    };
    expect(
      seen(
        v1Claim,
        'v1beta1',
        'resourceclaims',
        "object.spec.devices.requests[0].deviceClassName + ' ' + string('exactly' in object.spec.devices.requests[0])",
        '1.35',
      ),
    ).toEqual(['gpu.example.com false']);

    const v1Slice: Obj = {
      apiVersion: `${GROUP}/v1`,
      kind: 'ResourceSlice',
      metadata: { name: 's' },
      spec: {
        driver: 'gpu.example.com',
        pool: { name: 'p', generation: 1, resourceSliceCount: 1 },
        nodeName: 'node-1',
        devices: [{ name: 'd0', attributes: { model: { string: 'a100' } } }],
      },
    };
    expect(
      seen(
        v1Slice,
        'v1beta1',
        'resourceslices',
        'object.spec.devices[0].basic.attributes.model.string',
        '1.34',
      ),
    ).toEqual(['a100']);
  });
});
