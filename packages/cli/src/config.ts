import { readFileSync } from 'node:fs';
import type { IgnoreRule } from '@shipshape/diff';
import { interpretSchema, type JsonSchema } from '@shipshape/schema';
import { load } from 'js-yaml/browser';
import { ShipshapeError } from './errors.js';

/** Every format the `--format` flag takes. */
export type FormatName = 'text' | 'json' | 'sarif' | 'junit' | 'github' | 'markdown';
/** What `--fail-on` takes. */
export type FailOn = 'error' | 'warning' | 'info' | 'never';

/**
 * An exception: findings to accept, always with a reason. Every selector given must match; the
 * findings stay in JSON and SARIF output, marked suppressed.
 */
export interface ConfigException {
  /** Codes or rule ids; `pss/*` matches a pack. */
  readonly codes?: readonly string[];
  /** Same as `codes`. */
  readonly rules?: readonly string[];
  /** Resource keys (`Kind/namespace/name`, globs). */
  readonly resources?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly kinds?: readonly string[];
  readonly names?: readonly string[];
  /** File globs. */
  readonly files?: readonly string[];
  readonly reason: string;
  /**
   * The last day the exception applies (`2026-12-31`, UTC): from the next day on, its findings are
   * reported again, and so is the exception (`config/expired-exception`).
   */
  readonly expires?: string;
}

/**
 * The contents of `shipshape.yaml` (see `shipshape/config-schema.json` for the published schema).
 *
 * @example
 * ```yaml
 * version: 1
 * failOn: warning
 * ignore: ['charts/**', '**\/testdata/']
 * exceptions:
 *   - codes: [manifest/duplicate-resource]
 *     files: ['legacy/**']
 *     reason: legacy folder is applied by hand, one file at a time
 *   - codes: [bp/priority-class]
 *     namespaces: [batch]
 *     reason: priority classes land with the scheduler migration
 *     expires: 2026-12-31
 * ```
 */
export interface ShipshapeConfig {
  readonly version?: 1;
  readonly paths?: readonly string[];
  readonly format?: FormatName;
  readonly failOn?: FailOn;
  readonly kubernetesVersion?: string;
  readonly strict?: boolean;
  /** Folders (relative to the config file) whose CustomResourceDefinitions validate custom resources. */
  readonly crds?: readonly string[];
  /** Policy packs, custom rule modules and VAP files (relative to the config file). */
  readonly policies?: readonly string[];
  /** Options per rule id. */
  readonly rules?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Honour `shipshape.dev/exceptions` annotations (default `true`). */
  readonly annotationExceptions?: boolean;
  /** Evaluate the ValidatingAdmissionPolicies found in the checked tree (default `true`). */
  readonly admissionPolicies?: boolean;
  readonly ignore?: readonly string[];
  readonly limits?: {
    readonly maxFileBytes?: number;
    readonly maxDepth?: number;
    readonly maxAliasExpansion?: number;
  };
  readonly severity?: Readonly<Record<string, 'error' | 'warning' | 'info' | 'off'>>;
  readonly exceptions?: readonly ConfigException[];
  /** Options of `shipshape diff`. */
  readonly diff?: DiffConfig;
}

/** The config's `diff` section. */
export interface DiffConfig {
  readonly ignore?: readonly (IgnoreRule & { readonly reason?: string })[];
  readonly fieldManagers?: readonly string[];
  readonly defaultNamespace?: string;
  readonly ignoreAggregatedRoles?: boolean;
  readonly hpaReplicas?: boolean;
}

/** File names looked for, in order, when no `--config` is given. */
export const CONFIG_FILE_NAMES = ['shipshape.yaml', 'shipshape.yml'] as const;

let schema: JsonSchema | undefined;

/**
 * Parse and validate configuration text. Throws a {@link ShipshapeError} with code `config` that
 * names the file and the bad field.
 *
 * @example
 * ```ts
 * parseConfig('failOn: warning\n', 'shipshape.yaml'); // { failOn: 'warning' }
 * ```
 */
function isBlank(text: string): boolean {
  return text.split(/\r?\n/).every((line) => {
    const t = line.trim();
    return t === '' || t.startsWith('#') || t === '---' || t === '...';
  });
}

export function parseConfig(text: string, file: string): ShipshapeConfig {
  let value: unknown;
  try {
    // An empty config, or one of comments only, is an empty object (js-yaml refuses an empty input).
    value = isBlank(text) ? {} : (load(text) ?? {});
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ShipshapeError('config', `${file}: not valid YAML: ${reason}`, { cause: error });
  }
  // YAML reads an unquoted `expires: 2026-12-31` as a timestamp: it means the day.
  value = withExpiryDays(value);
  schema ??= JSON.parse(
    readFileSync(new URL('../config-schema.json', import.meta.url), 'utf8'),
  ) as JsonSchema;
  const errors = interpretSchema(schema, value, {});
  if (errors.length > 0) {
    const problems = errors.map((e) => {
      const where = e.instancePath === '' ? 'the top level' : e.instancePath;
      const extra =
        e.keyword === 'additionalProperties' ? ` (\`${String(e.params['additionalProperty'])}\`)` : '';
      const allowed = e.keyword === 'enum' ? `: ${(e.params['allowedValues'] as unknown[]).join(', ')}` : '';
      // A reason of white space only says nothing: the schema's pattern refuses it.
      if (e.keyword === 'pattern' && where.endsWith('/reason'))
        return `${where} must say why, not only white space`;
      if (where.endsWith('/expires')) return `${where} must be a day such as 2026-12-31`;
      // YAML reads `1.30` as the number 1.3: the version must be quoted.
      if (e.keyword === 'type' && where === '/kubernetesVersion')
        return `${where} must be a string such as '1.30' (quoted: YAML reads 1.30 as the number 1.3)`;
      return `${where} ${e.message ?? 'is invalid'}${extra}${allowed}`;
    });
    throw new ShipshapeError(
      'config',
      `${file}: invalid configuration: ${[...new Set(problems)].join('; ')}`,
      {
        data: { errors },
      },
    );
  }
  const config = value as ShipshapeConfig;
  for (const [index, e] of (config.exceptions ?? []).entries()) {
    if (e.expires !== undefined && expiryDay(e.expires) === undefined)
      throw new ShipshapeError(
        'config',
        `${file}: invalid configuration: /exceptions/${index}/expires must be a day such as 2026-12-31 (${e.expires} is not a day of the calendar)`,
      );
  }
  return config;
}

/**
 * The day an exception's `expires` names, as `YYYY-MM-DD`: a string of that form that is a day of
 * the calendar, or a timestamp at midnight UTC (what YAML makes of an unquoted day); otherwise
 * `undefined`.
 *
 * @example
 * ```ts
 * expiryDay('2026-12-31'); // '2026-12-31'
 * expiryDay('2026-02-30'); // undefined
 * ```
 */
export function expiryDay(value: unknown): string | undefined {
  if (value instanceof Date) {
    const iso = Number.isNaN(value.getTime()) ? '' : value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : undefined;
  }
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value) ? value : undefined;
}

/** `value` with each exception's `expires` timestamp written as its day, when it is one. */
function withExpiryDays(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const exceptions = (value as { exceptions?: unknown }).exceptions;
  if (!Array.isArray(exceptions)) return value;
  for (const e of exceptions) {
    if (typeof e !== 'object' || e === null || !((e as { expires?: unknown }).expires instanceof Date))
      continue;
    const day = expiryDay((e as { expires: Date }).expires);
    if (day !== undefined) (e as { expires: unknown }).expires = day;
  }
  return value;
}
