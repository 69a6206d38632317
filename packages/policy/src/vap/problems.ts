/** The codes the admission-policy rule reports besides `vap/<policy-name>`. */
export const VAP_CODES = {
  invalidPolicy: 'vap/invalid-policy',
  invalidBinding: 'vap/invalid-binding',
  unknownPolicy: 'vap/unknown-policy',
  paramNotFound: 'vap/param-not-found',
  duplicate: 'vap/duplicate',
  unsupported: 'vap/unsupported',
  typeWarning: 'vap/type-warning',
} as const;

/** A problem in a policy or binding, at a JSON Pointer into it. */
export interface Problem {
  readonly path: string;
  readonly message: string;
  /** The expression is valid but uses a library shipshape cannot evaluate offline. */
  readonly unsupported?: boolean;
}

/** Reads fields of untrusted objects and records what is wrong with them. */
export class FieldReader {
  readonly problems: Problem[] = [];

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** A string field; `undefined` when absent, with a problem when of another type. */
  string(holder: Readonly<Record<string, unknown>>, key: string, path: string): string | undefined {
    const value = holder[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.problem(`${path}/${key}`, `${key} must be a string`);
    return undefined;
  }

  /** A list of strings; `undefined` when absent. */
  strings(holder: Readonly<Record<string, unknown>>, key: string, path: string): string[] | undefined {
    const value = holder[key];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    this.problem(`${path}/${key}`, `${key} must be a list of strings`);
    return undefined;
  }

  /** An object field; `undefined` when absent. */
  object(
    holder: Readonly<Record<string, unknown>>,
    key: string,
    path: string,
  ): Record<string, unknown> | undefined {
    const value = holder[key];
    if (value === undefined || value === null) return undefined;
    if (isRecord(value)) return value;
    this.problem(`${path}/${key}`, `${key} must be an object`);
    return undefined;
  }

  /** A list of objects; items that are not objects are reported and left out. */
  objects(
    holder: Readonly<Record<string, unknown>>,
    key: string,
    path: string,
  ): [Record<string, unknown>, number][] {
    const value = holder[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(`${path}/${key}`, `${key} must be a list`);
      return [];
    }
    const out: [Record<string, unknown>, number][] = [];
    value.forEach((item: unknown, i) => {
      if (isRecord(item)) out.push([item, i]);
      else this.problem(`${path}/${key}/${i}`, `${key}[${i}] must be an object`);
    });
    return out;
  }

  /** One of `allowed` (or `fallback` when absent). */
  choice<T extends string>(
    holder: Readonly<Record<string, unknown>>,
    key: string,
    path: string,
    allowed: readonly T[],
    fallback: T,
  ): T {
    const value = this.string(holder, key, path);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(
      `${path}/${key}`,
      `${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`,
    );
    return fallback;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
