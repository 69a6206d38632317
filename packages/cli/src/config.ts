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
  return value as ShipshapeConfig;
}
