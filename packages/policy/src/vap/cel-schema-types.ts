import type { Environment } from '@marcbachmann/cel-js';
import { CEL_RESERVED, type KindSchemas } from './type-check.js';

type Node = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Declares CEL types for OpenAPI schemas in a cel-js environment, as the API server types
 * `object`, `oldObject` and `params` for its type check of a policy: an object with listed
 * properties is a type with those fields (under the names CEL reads them by), a map of values a
 * `map<string, T>`, a list a `list<T>`, integers `int`, numbers `double`, booleans `bool`, strings
 * `string`, an embedded resource the type of its properties with `apiVersion`, `kind` and
 * `metadata` (name and generateName). Where this typing might refuse what the API server accepts,
 * the value is `dyn`: an int-or-string, fields kept unknown, nullable fields, strings with a format
 * (see the constructor), objects without properties, and a definition reached again below itself.
 *
 * cel-js wants a type declared before a type that uses it: types are declared depth first. A
 * definition (`$ref`) is declared once per environment, under its own name; an inline object under
 * its path (`Kind.spec.template`, `.@idx` for a list's items, `.@elem` for a map's values, as the
 * API server names them).
 */
export class SchemaTypes {
  readonly #env: Environment;
  readonly #formats: boolean;
  /** Declared definitions by name, and those being declared (`null`: reached again below itself). */
  readonly #definitions = new Map<string, string | null>();

  /**
   * With `formats`, strings are typed as the values a CRD rule is given: `date` and `date-time`
   * strings are timestamps, `duration` strings durations (`byte` stays `dyn`, other formats are
   * strings); without, every formatted string is `dyn` (admission policies see strings at run
   * time, where the API server's type check sees timestamps).
   */
  constructor(env: Environment, options: { readonly formats?: boolean } = {}) {
    this.#env = env;
    this.#formats = options.formats ?? false;
  }

  /** The CEL type of `kind` in `schemas` (`dyn` when the schemas do not know it). */
  kindType(schemas: KindSchemas, kind: string): string {
    const definition = Object.hasOwn(schemas.kinds, kind) ? schemas.kinds[kind] : undefined;
    if (definition === undefined || !Object.hasOwn(schemas.definitions, definition)) return 'dyn';
    return this.#definitionType(schemas, definition, definition, 0);
  }

  #definitionType(schemas: KindSchemas, definition: string, name: string, depth: number): string {
    const known = this.#definitions.get(definition);
    if (known !== undefined) return known ?? 'dyn';
    this.#definitions.set(definition, null);
    const type = this.#typeOf(schemas, schemas.definitions[definition], typeName(name), depth + 1);
    this.#definitions.set(definition, type);
    return type;
  }

  #typeOf(schemas: KindSchemas, value: unknown, name: string, depth: number): string {
    if (!isNode(value) || depth > MAX_DEPTH) return 'dyn';
    const ref = refOf(value);
    if (ref !== undefined) {
      const definition = ref.slice(ref.lastIndexOf('/') + 1);
      if (!Object.hasOwn(schemas.definitions, definition)) return 'dyn';
      return this.#definitionType(schemas, definition, definition, depth);
    }
    if (
      value['x-kubernetes-preserve-unknown-fields'] === true ||
      value['x-kubernetes-int-or-string'] === true ||
      value['nullable'] === true
    ) {
      return 'dyn';
    }
    switch (value['type']) {
      case 'string':
        return this.#stringType(value['format']);
      case 'integer':
        return 'int';
      case 'number':
        return 'double';
      case 'boolean':
        return 'bool';
      case 'array':
        return `list<${this.#typeOf(schemas, value['items'], `${name}.@idx`, depth + 1)}>`;
      case 'object':
      case undefined:
        return this.#objectType(schemas, value, name, depth);
      default:
        return 'dyn';
    }
  }

  #stringType(format: unknown): string {
    if (format === undefined) return 'string';
    if (!this.#formats || format === 'byte') return 'dyn';
    if (format === 'date' || format === 'date-time') return 'google.protobuf.Timestamp';
    return format === 'duration' ? 'google.protobuf.Duration' : 'string';
  }

  #objectType(schemas: KindSchemas, node: Node, name: string, depth: number): string {
    const properties = isNode(node['properties']) ? node['properties'] : {};
    // An embedded resource (and a resource's root) has its apiVersion, kind, and metadata's name
    // and generateName, whatever its schema lists.
    const embedded = node['x-kubernetes-embedded-resource'] === true;
    const fields: Record<string, string> = embedded
      ? { apiVersion: 'string', kind: 'string', metadata: this.#embeddedMetadata(name) }
      : {};
    for (const property of Object.keys(properties)) {
      const field = celFieldName(property);
      // Not readable from CEL, or an embedded resource's own field.
      if (field === undefined || Object.hasOwn(fields, field)) continue;
      fields[field] = this.#typeOf(schemas, properties[property], `${name}.${field}`, depth + 1);
    }
    if (Object.keys(fields).length > 0) {
      this.#env.registerType({ name, schema: fields });
      return name;
    }
    const additional = node['additionalProperties'];
    if (additional === true) return 'map<string, dyn>';
    if (isNode(additional))
      return `map<string, ${this.#typeOf(schemas, additional, `${name}.@elem`, depth + 1)}>`;
    // An object whose schema lists nothing (a RawExtension) is not judged.
    return 'dyn';
  }

  /** The type of an embedded resource's `metadata` at `name`: its name and generateName. */
  #embeddedMetadata(name: string): string {
    const meta = `${name}.metadata`;
    if (!this.#definitions.has(meta)) {
      this.#env.registerType({ name: meta, schema: { name: 'string', generateName: 'string' } });
      this.#definitions.set(meta, meta);
    }
    return meta;
  }
}

const MAX_DEPTH = 64;

/** A definition's `$ref`, written directly or as the one member of `allOf`. */
function refOf(node: Node): string | undefined {
  const allOf = node['allOf'];
  const ref = node['$ref'] ?? (Array.isArray(allOf) && isNode(allOf[0]) ? allOf[0]['$ref'] : undefined);
  return typeof ref === 'string' ? ref : undefined;
}

/** A type name cel-js accepts, from a definition's name (`apps/v1/Deployment (…)` has others). */
function typeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.@]+/g, '_').replace(/^[^A-Za-z_]+/, '');
  return cleaned === '' ? 'object' : cleaned;
}

const ESCAPES: Readonly<Record<string, string>> = {
  __: '__underscores__',
  '.': '__dot__',
  '-': '__dash__',
  '/': '__slash__',
};

/**
 * The name CEL reads a property by, as Kubernetes escapes it (`x-prop` is `x__dash__prop`,
 * `namespace` is `__namespace__`); `undefined` for a name it cannot read (`0x`, `a b`).
 */
function celFieldName(property: string): string | undefined {
  if (property === '' || /^[0-9]/.test(property) || /[^A-Za-z0-9_./-]/.test(property)) return undefined;
  if (CEL_RESERVED.has(property)) return `__${property}__`;
  return property.replace(/__|[./-]/g, (s) => ESCAPES[s] ?? s);
}
