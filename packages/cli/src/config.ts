import { readFileSync } from 'node:fs';
import { interpretSchema, type JsonSchema } from '@shipshape/schema';
import { load } from 'js-yaml/browser';
import { ShipshapeError } from './errors.js';

/** Every format the `--format` flag takes. */
export type FormatName = 'text' | 'json' | 'sarif' | 'junit' | 'github' | 'markdown';
/** What `--fail-on` takes. */
export type FailOn = 'error' | 'warning' | 'info' | 'never';

/** An exception: diagnostics to accept, always with a reason. */
export interface ConfigException {
  readonly codes?: readonly string[];
  readonly resources?: readonly string[];
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
  readonly ignore?: readonly string[];
  readonly limits?: {
    readonly maxFileBytes?: number;
    readonly maxDepth?: number;
    readonly maxAliasExpansion?: number;
  };
  readonly severity?: Readonly<Record<string, 'error' | 'warning' | 'info' | 'off'>>;
  readonly exceptions?: readonly ConfigException[];
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
export function parseConfig(text: string, file: string): ShipshapeConfig {
  let value: unknown;
  try {
    value = load(text) ?? {};
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
