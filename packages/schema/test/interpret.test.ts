import { interpretSchema, type JsonSchema } from '@shipshape/schema';
import { describe, expect, it } from 'vitest';

const at = (errors: ReturnType<typeof interpretSchema>) => errors.map((e) => [e.keyword, e.instancePath]);

describe('interpretSchema', () => {
  const definitions = {
    Node: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z]+$' },
        children: { type: 'array', items: { $ref: '#/definitions/Node' } },
      },
    },
  };
  const root: JsonSchema = { $ref: '#/definitions/Node' };

  it('follows recursive $refs to any depth, and reuses what it built for one schema object', () => {
    const deep = {
      name: 'a',
      children: [{ name: 'b', children: [{ name: 'C', extra: 1 }, { children: [] }] }],
    };
    expect(at(interpretSchema(root, deep, definitions))).toEqual([
      ['pattern', '/children/0/children/0/name'],
      ['additionalProperties', '/children/0/children/0'],
      ['required', '/children/0/children/1'],
    ]);
    // The same schema object against other data: nothing carried over from the first run.
    expect(interpretSchema(root, { name: 'ok', children: [{ name: 'fine' }] }, definitions)).toEqual([]);
    expect(at(interpretSchema(root, { name: 1 }, definitions))).toEqual([['type', '/name']]);
  });

  it('treats null fields as unset, and keeps ajv messages', () => {
    const errors = interpretSchema(root, { name: null, children: null }, definitions);
    expect(errors.map((e) => e.message)).toEqual(["must have required property 'name'"]);
  });

  it('accepts boolean subschemas', () => {
    const schema: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      properties: { anything: true },
    };
    expect(interpretSchema(schema, { anything: { x: 1 } }, {})).toEqual([]);
    expect(at(interpretSchema(schema, { other: 1 }, {}))).toEqual([['additionalProperties', '']]);
  });

  it("matches patterns in Go's RE2 syntax that JavaScript does not read, as the API server does", () => {
    const schema: JsonSchema = {
      properties: {
        caseless: { type: 'string', pattern: '(?i)^abc\\z' },
        posix: { type: 'string', pattern: '^[[:alpha:]]+$' },
        named: { type: 'string', pattern: '^(?P<major>\\d+)\\.(?P<minor>\\d+)$' },
      },
    };
    expect(interpretSchema(schema, { caseless: 'ABC', posix: 'abc', named: '1.33' }, {})).toEqual([]);
    expect(at(interpretSchema(schema, { caseless: 'abcd', posix: 'ab1', named: 'v1' }, {}))).toEqual([
      ['pattern', '/caseless'],
      ['pattern', '/posix'],
      ['pattern', '/named'],
    ]);
    // A pattern neither reads is left to the CRD check (schema/invalid-crd).
    expect(interpretSchema({ type: 'string', pattern: '(?<!a)b(' }, 'b', {})).toEqual([]);
  });

  it('compares enum values structurally, and primitives by value', () => {
    const schema: JsonSchema = { enum: ['a', 1, true, null, { k: 'v' }] };
    for (const ok of ['a', 1, true, null, { k: 'v' }]) expect(interpretSchema(schema, ok, {})).toEqual([]);
    for (const bad of ['1', 2, false, { k: 'w' }, []])
      expect(at(interpretSchema(schema, bad, {}))).toEqual([['enum', '']]);
  });

  it('reports the closest branch of anyOf and counts oneOf matches', () => {
    const schema: JsonSchema = {
      properties: {
        port: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[a-z]+$' }] },
        one: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
      },
    };
    expect(at(interpretSchema(schema, { port: 'HTTP', one: 2 }, {}))).toEqual([
      ['anyOf', '/port'],
      ['type', '/port'], // both branches fail once: the first is reported
      ['oneOf', '/one'],
    ]);
  });

  it('reports repeats in x-kubernetes-list-type set and map lists at the later item', () => {
    const schema: JsonSchema = {
      properties: {
        set: { type: 'array', 'x-kubernetes-list-type': 'set' },
        map: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { properties: { name: { type: 'string', default: 'main' } } },
        },
      },
    };
    const errors = interpretSchema(
      schema,
      {
        set: [null, { a: [1, 2] }, null, { a: [1, 2] }, { a: [2, 1] }],
        map: [{}, { name: 'main' }, null, null],
      },
      {},
    );
    expect(errors.map((e) => [e.keyword, e.instancePath, e.params])).toEqual([
      ['x-kubernetes-list-type', '/set/2', { listType: 'set', first: 0, value: null }],
      ['x-kubernetes-list-type', '/set/3', { listType: 'set', first: 1, value: { a: [1, 2] } }],
      // An absent key takes its default; a null item has no key to default.
      ['x-kubernetes-list-type', '/map/1', { listType: 'map', first: 0, keys: [['name', 'main']] }],
      ['x-kubernetes-list-type', '/map/3', { listType: 'map', first: 2, keys: [['name', undefined]] }],
    ]);
  });
});
