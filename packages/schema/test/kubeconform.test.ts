/**
 * kubeconform's own fixtures and the outcomes its acceptance tests state (plus outcomes observed
 * from kubeconform v0.7.0 where no test states one), run through shipshape's schema validation.
 * The data stays in ../shared (see its INDEX.md and SOURCES.md); nothing is copied here.
 *
 * Every outcome in expected.json is one row: its flags become a shipshape configuration, the
 * diagnostics become a kubeconform outcome (see `statusOf`), and the row passes when both agree.
 * Rows shipshape cannot run are in SKIPS with a reason; places where shipshape reports more or
 * differently than kubeconform, yet the outcome agrees, are in DIFFERENCES with a reason.
 * (One file past ~300 lines on purpose: the flag translation, the status mapping, SKIPS and
 * DIFFERENCES only make sense next to the rows they explain.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadKubernetesSchemas } from '@shipshape/schema';
import { Ajv } from 'ajv';
import { type CheckResult, check, type ShipshapeConfig, ShipshapeError } from 'shipshape';
import { afterAll, describe, expect, it } from 'vitest';

const DATA = path.resolve(import.meta.dirname, '../../../../shared/conformance/kubeconform');
const KUBERNETES_VERSION = '1.33';

// ---------------------------------------------------------------------------------------------
// expected.json

/** kubeconform's statuses; `ignored` is "file name matches -ignore-filename-pattern". */
const OUTCOMES = ['valid', 'invalid', 'error', 'skipped', 'empty', 'ignored'] as const;
type Outcome = (typeof OUTCOMES)[number];

interface ExpectedOutcome {
  readonly case: string;
  readonly flags: readonly string[];
  readonly outcome: string;
  readonly exitCode?: number;
  readonly source: string;
  readonly resources?: readonly string[];
}

interface ExpectedCase {
  readonly id: string;
  readonly files: readonly string[];
  readonly stdin?: string;
  readonly flags: readonly string[];
  readonly expect: { readonly exitCode?: number; readonly outcome?: string } | null;
}

interface Expected {
  readonly fixtures: Readonly<
    Record<string, { readonly role?: string; readonly outcomes?: ExpectedOutcome[] }>
  >;
  readonly cases: readonly ExpectedCase[];
}

/** One outcome to reproduce: `file` as checked when `args` are given to kubeconform with `flags`. */
interface Row {
  readonly name: string;
  readonly file: string;
  readonly case: string;
  readonly args: readonly string[];
  readonly flags: readonly string[];
  readonly want: Outcome;
  readonly exitCode: number | undefined;
  /** `apiVersion/Kind/name: status`, when expected.json lists per-resource statuses. */
  readonly resources: readonly string[] | undefined;
}

const expected = JSON.parse(fs.readFileSync(path.join(DATA, 'expected.json'), 'utf8')) as Expected;

function toOutcome(text: string): Outcome {
  const word = text.split(' ')[0] as Outcome;
  if (!OUTCOMES.includes(word)) throw new Error(`unknown outcome in expected.json: ${text}`);
  return word;
}

/** Every fixture outcome, plus each case no fixture names (a file that does not exist). */
function rowsOf(data: Expected): Row[] {
  const cases = new Map(data.cases.map((c) => [c.id, c]));
  const rows: Row[] = [];
  const named = new Set<string>();
  for (const [file, fixture] of Object.entries(data.fixtures)) {
    for (const o of fixture.outcomes ?? []) {
      named.add(o.case);
      const c = cases.get(o.case);
      // A case that passes a folder runs it whole; the row looks at its one file.
      const args = c?.files.some((f) => f === file || file.startsWith(`${f}/`)) ? c.files : [file];
      rows.push({
        name: `${file} [${o.case}]`,
        file,
        case: o.case,
        args: c?.stdin === undefined ? args : ['-'],
        flags: o.flags,
        want: toOutcome(o.outcome),
        exitCode: o.exitCode,
        resources: o.resources,
      });
    }
  }
  for (const c of data.cases) {
    if (named.has(c.id) || !c.expect?.outcome) continue;
    rows.push({
      name: `${c.files.join(' ')} [${c.id}]`,
      file: c.files.join(' '),
      case: c.id,
      args: c.files,
      flags: c.flags,
      want: toOutcome(c.expect.outcome),
      exitCode: c.expect.exitCode,
      resources: undefined,
    });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// What shipshape does not run, and where it deliberately reports differently

/** Cases (or `file [case]` rows) that are not run, each with the reason. */
const SKIPS: Readonly<Record<string, string>> = {
  'stdin-invalid':
    'needs stdin: check() reads files, folders and Git trees and has no `-` argument (the same file runs in case "invalid")',
  'httpproxy-crds-catalog':
    'needs the network: the schema is fetched from the Datree CRDs catalog over HTTPS, and shipshape validates offline only',
};

/**
 * Where shipshape reports something kubeconform does not (or reports it another way) while the
 * outcome still agrees through the mapping in `statusOf`. `code` must appear for `file` in the run
 * of `case` (the registry entry has a test of its own), so an entry that no longer holds fails.
 */
const DIFFERENCES: readonly { case: string; file: string; code: string; reason: string }[] = [
  {
    case: 'duplicates',
    file: 'duplicates.yaml',
    code: 'manifest/duplicate-resource',
    reason:
      'kubeconform validates each document alone and does not look for duplicates; shipshape reports two objects with the same identity (the API server keeps only the last). Ignored by the mapping.',
  },
  {
    case: 'duplicates',
    file: 'duplicates-with-namespace.yaml',
    code: 'manifest/duplicate-resource',
    reason: 'as duplicates.yaml, in a namespace. Ignored by the mapping.',
  },
  {
    case: 'same-kind-different-api',
    file: 'same-kind-different-api.yaml',
    code: 'manifest/duplicate-resource',
    reason:
      'identity leaves out the version (apps/v1 and apps/v1beta1 Deployment nginx-deployment are one object to the API server); kubeconform does not compare objects. Ignored by the mapping.',
  },
  {
    case: 'same-kind-different-api',
    file: 'same-kind-different-api.yaml',
    code: 'api/removed',
    reason:
      'kubeconform finds no schema for apps/v1beta1 Deployment ("could not find schema"); shipshape knows the API was removed in 1.16 and names the replacement. Both are errors.',
  },
  {
    case: 'crd-v1beta1',
    file: 'crd_schema.yaml',
    code: 'api/removed',
    reason:
      'kubeconform: "could not find schema for CustomResourceDefinition" (apiextensions.k8s.io/v1beta1); shipshape: removed in 1.22, use apiextensions.k8s.io/v1. Both are errors.',
  },
  {
    case: 'missing-kind',
    file: 'missing_kind.yaml',
    code: 'manifest/missing-api-version',
    reason:
      'kubeconform stops at the missing kind and counts the document as one errored resource; shipshape reports every missing identity field (apiVersion, kind, name) and counts no resource. Both are errors.',
  },
  {
    case: 'nonexistent-file',
    file: 'not-here',
    code: 'throws:io',
    reason:
      'kubeconform reports a missing PATH as an errored file and goes on; check() throws ShipshapeError (code io) before reading anything, and the CLI exits 2. Both fail.',
  },
];

// ---------------------------------------------------------------------------------------------
// kubeconform flags → shipshape configuration

interface Translation {
  readonly strict: boolean;
  readonly config: ShipshapeConfig;
  /** `-schema-location` values other than `default`, in order. */
  readonly locations: readonly string[];
}

/**
 * kubeconform's `-ignore-filename-pattern` takes regular expressions matched anywhere in the path;
 * shipshape's `ignore` takes globs. Only the patterns the data uses are translated.
 */
const IGNORE_PATTERN_GLOBS: Readonly<Record<string, string>> = { crd: '*crd*', '.*invalid.*': '*invalid*' };

function translateFlags(flags: readonly string[]): Translation {
  let strict = false; // kubeconform's default; shipshape's is strict
  let missing: 'error' | 'info' = 'error'; // kubeconform errors on a missing schema unless told
  const ignore: string[] = [];
  const locations: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] ?? '';
    const value = (): string => {
      const v = flags[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-summary':
      case '-verbose':
        break; // output only
      case '-strict':
        strict = true;
        break;
      case '-ignore-missing-schemas':
        missing = 'info';
        break;
      case '-ignore-filename-pattern': {
        const pattern = value();
        const glob = IGNORE_PATTERN_GLOBS[pattern];
        if (glob === undefined) throw new Error(`no glob for -ignore-filename-pattern ${pattern}`);
        ignore.push(glob);
        break;
      }
      case '-schema-location': {
        const location = value();
        if (location !== 'default') locations.push(location);
        break;
      }
      default:
        // -skip and -reject included: shipshape has no filter by kind (exceptions hide diagnostics
        // but cannot mark a resource skipped, and nothing rejects a kind), so such a case belongs in SKIPS.
        throw new Error(`kubeconform flag ${flag} has no shipshape equivalent; add the case to SKIPS`);
    }
  }
  return {
    strict,
    locations,
    config: { severity: { 'schema/no-schema': missing }, ...(ignore.length ? { ignore } : {}) },
  };
}

/** kubeconform's file name of a schema location template, for one resource. */
function expandLocation(template: string, apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const vars: Record<string, string> = {
    Group: group,
    ResourceKind: kind.toLowerCase(),
    ResourceAPIVersion: version,
    KindSuffix: `${group ? `-${(group.split('.')[0] ?? '').toLowerCase()}` : ''}-${version.toLowerCase()}`,
  };
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (all, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`template variable ${all} is not supported here`);
    return v;
  });
}

/** Temporary folders of wrapped schemas and samples, removed once the file is done. */
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * For each custom resource among `args`, the first `-schema-location` that names an existing JSON
 * schema, wrapped as the openAPIV3Schema of an apiextensions.k8s.io/v1 CRD in a temporary folder
 * (shipshape takes schemas from CRDs only). Built-in kinds keep the bundled schemas (`default`).
 */
async function crdFolderFor(args: readonly string[], t: Translation): Promise<string | undefined> {
  if (t.locations.length === 0) return undefined;
  const bundle = await loadKubernetesSchemas(KUBERNETES_VERSION);
  const read = await check({ paths: args, cwd: DATA, config: t.config, validate: false });
  let dir: string | undefined;
  for (const r of read.resources) {
    const { apiVersion, kind, group } = r.id;
    if (bundle.kinds[`${apiVersion}/${kind}`] !== undefined) continue;
    for (const location of t.locations) {
      if (/^https?:/.test(location)) throw new Error(`-schema-location ${location} needs the network`);
      // A location not ending in .json is a base folder in kubeconform's own layout; none is used here.
      if (!location.endsWith('.json'))
        throw new Error(`-schema-location ${location}: folder layout not mapped`);
      const file = path.resolve(DATA, expandLocation(location, apiVersion, kind));
      if (!fs.existsSync(file)) continue;
      const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
      const plural = `${kind.toLowerCase()}s`;
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${plural}.${group}` },
        spec: {
          group,
          names: { kind, plural },
          scope: 'Namespaced',
          versions: [
            {
              name: r.id.apiVersion.slice(group.length + 1),
              served: true,
              storage: true,
              schema: { openAPIV3Schema: schema },
            },
          ],
        },
      };
      if (!dir) {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-kubeconform-'));
        tempDirs.push(dir);
      }
      fs.writeFileSync(path.join(dir, `${plural}.${group}.json`), JSON.stringify(crd));
      break;
    }
  }
  return dir;
}

type Run = { readonly result: CheckResult } | { readonly thrown: ShipshapeError };

const runs = new Map<string, Promise<Run>>();

/** Run shipshape as kubeconform would run `args` with `flags`; one run per distinct command. */
function runKubeconform(args: readonly string[], flags: readonly string[]): Promise<Run> {
  const key = JSON.stringify([args, flags]);
  let run = runs.get(key);
  if (!run) {
    run = (async (): Promise<Run> => {
      const t = translateFlags(flags);
      const crds = await crdFolderFor(args, t);
      try {
        const result = await check({
          paths: args,
          cwd: DATA,
          config: crds ? { ...t.config, crds: [crds] } : t.config,
          strict: t.strict,
          kubernetesVersion: KUBERNETES_VERSION,
        });
        return { result };
      } catch (error) {
        if (error instanceof ShipshapeError) return { thrown: error };
        throw error;
      }
    })();
    runs.set(key, run);
  }
  return run;
}

// ---------------------------------------------------------------------------------------------
// shipshape diagnostics → kubeconform statuses

type Diagnostic = CheckResult['diagnostics'][number];

/** Schema violations: kubeconform's `invalid`. Every other error is kubeconform's `error`. */
const VIOLATIONS = new Set([
  'schema/type',
  'schema/unknown-field',
  'schema/missing-field',
  'schema/enum',
  'schema/format',
  'schema/invalid',
]);

/** Codes kubeconform has no counterpart for: it never compares objects with each other. */
const NOT_CHECKED_BY_KUBECONFORM = new Set(['manifest/duplicate-resource']);

/**
 * The status kubeconform gives to what these diagnostics are about:
 * - `error`: an error-severity yaml/*, json/*, manifest/* (missing kind, apiVersion, …),
 *   schema/no-schema, schema/unknown-kind or api/removed — kubeconform's parse errors and missing
 *   schemas;
 * - `invalid`: otherwise, an error-severity schema violation (VIOLATIONS);
 * - `skipped`: otherwise, schema/no-schema below error severity (`-ignore-missing-schemas`);
 * - `valid`: anything else (warnings such as api/deprecated do not fail kubeconform either).
 * manifest/duplicate-resource is left out: kubeconform does not look for duplicates (DIFFERENCES).
 */
function statusOf(diagnostics: readonly Diagnostic[]): Exclude<Outcome, 'empty' | 'ignored'> {
  const errors = diagnostics.filter((d) => d.severity === 'error' && !NOT_CHECKED_BY_KUBECONFORM.has(d.code));
  if (errors.some((d) => !VIOLATIONS.has(d.code))) return 'error';
  if (errors.length > 0) return 'invalid';
  if (diagnostics.some((d) => d.code === 'schema/no-schema')) return 'skipped';
  return 'valid';
}

interface Observed {
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly resources: readonly string[];
  /** Diagnostic codes for the file, or `throws:<code>`. */
  readonly codes: readonly string[];
}

/** What kubeconform would have said about `file` in this run. */
function observe(run: Run, file: string): Observed {
  if ('thrown' in run)
    return { outcome: 'error', exitCode: 1, resources: [], codes: [`throws:${run.thrown.code}`] };
  const { result } = run;
  const inFile = result.diagnostics.filter((d) => d.span?.path === file);
  const resources = result.resources.filter((r) => r.source.path === file);
  const statuses = resources
    .map((r) => {
      const { start, end } = r.source.span;
      const mine = inFile.filter(
        (d) => d.span && d.span.start.offset >= start.offset && d.span.start.offset <= end.offset,
      );
      return `${r.id.apiVersion}/${r.id.kind}/${r.id.name}: ${statusOf(mine)}`;
    })
    .sort();
  const status = statusOf(inFile);
  const outcome: Outcome = !result.files.includes(file)
    ? 'ignored'
    : resources.length === 0 && status === 'valid'
      ? 'empty'
      : status;
  // kubeconform exits 1 when any resource of the run is invalid or errored.
  const failing = result.diagnostics.filter(
    (d) => d.severity === 'error' && !NOT_CHECKED_BY_KUBECONFORM.has(d.code),
  );
  return {
    outcome,
    exitCode: failing.length > 0 ? 1 : 0,
    resources: statuses,
    codes: inFile.map((d) => d.code),
  };
}

// ---------------------------------------------------------------------------------------------
// The suite

const rows = rowsOf(expected);
const skipOf = (row: Row): string | undefined => SKIPS[row.name] ?? SKIPS[row.case];
const tally = { pass: 0 };

describe('kubeconform conformance', () => {
  afterAll(() => {
    const skipped = rows.filter((r) => skipOf(r) !== undefined);
    const ran = rows.length - skipped.length;
    console.log(
      `kubeconform conformance: ${tally.pass}/${ran} outcomes pass, ${skipped.length} skipped (${rows.length} outcomes in expected.json)`,
    );
    for (const r of skipped) console.log(`  skipped ${r.name}: ${skipOf(r)}`);
    for (const d of DIFFERENCES) console.log(`  differs ${d.file} [${d.case}] (${d.code}): ${d.reason}`);
  });

  it('reads every input file of expected.json and names only existing cases in SKIPS', () => {
    const inputs = Object.entries(expected.fixtures).filter(([, f]) => f.role === undefined);
    expect(inputs.length).toBe(21);
    for (const [file] of inputs) expect(fs.existsSync(path.join(DATA, file)), file).toBe(true);
    const keys = new Set(rows.flatMap((r) => [r.name, r.case]));
    for (const key of Object.keys(SKIPS)) expect(keys.has(key), `SKIPS entry ${key}`).toBe(true);
  });

  describe.each(rows)('$name', (row) => {
    const skip = skipOf(row);
    if (skip !== undefined) {
      it.skip(`${row.want} — skipped: ${skip}`, () => {});
      return;
    }
    it(`is ${row.want}${row.exitCode === undefined ? '' : `, exit ${row.exitCode}`}`, async () => {
      const seen = observe(await runKubeconform(row.args, row.flags), row.file);
      const want = {
        outcome: row.want,
        ...(row.exitCode === undefined ? {} : { exitCode: row.exitCode }),
        ...(row.resources === undefined
          ? {}
          : { resources: row.resources.map((r) => r.split(' (')[0]).sort() }),
      };
      const got = {
        outcome: seen.outcome,
        ...(row.exitCode === undefined ? {} : { exitCode: seen.exitCode }),
        ...(row.resources === undefined ? {} : { resources: seen.resources }),
      };
      expect(got, `diagnostics: ${seen.codes.join(', ') || 'none'}`).toEqual(want);
      tally.pass++;
    });
  });

  describe.each(DIFFERENCES)('DIFFERENCES: $file [$case]', (d) => {
    it(`shipshape still reports ${d.code}`, async () => {
      const row = rows.find((r) => r.case === d.case && r.file === d.file);
      expect(row, 'the row this entry is about').toBeDefined();
      if (!row) return;
      const seen = observe(await runKubeconform(row.args, row.flags), row.file);
      expect(seen.codes).toContain(d.code);
    });
  });

  // The rows wrap the JSON schema kubeconform reads from registry/ in a v1 CRD; the registry's own
  // CRD is apiextensions.k8s.io/v1beta1, which shipshape also reads for validating its resources.
  it('registry/: the v1beta1 CRD under `crds` validates test_crd.yaml as kubeconform does', async () => {
    const result = await check({
      paths: ['test_crd.yaml'],
      cwd: DATA,
      config: { crds: ['registry'] },
      strict: false,
      kubernetesVersion: KUBERNETES_VERSION,
    });
    expect(result.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// openapi2jsonschema: kubeconform's CRD → JSON schema converter, against shipshape's CRD handling

const PROMETHEUS_CRD = 'openapi2jsonschema/prometheus-operator-0prometheusCustomResourceDefinition.yaml';

const prometheus = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: { name: 'k8s', namespace: 'monitoring' },
  spec: {
    replicas: 2,
    serviceAccountName: 'prometheus-k8s',
    retention: '15d',
    resources: { requests: { memory: '400Mi' } },
  },
};

type PrometheusSample = typeof prometheus & Record<string, unknown>;

/** A Prometheus custom resource and the one code strict validation must give (none when valid). */
const PROMETHEUS_SAMPLES: readonly { name: string; mutate: (p: PrometheusSample) => void; code?: string }[] =
  [
    { name: 'prometheus-valid', mutate: () => {} },
    {
      name: 'prometheus-replicas-string-invalid',
      mutate: (p) => Object.assign(p.spec, { replicas: 'two' }),
      code: 'schema/type',
    },
    {
      name: 'prometheus-replicas-over-int32-invalid',
      mutate: (p) => Object.assign(p.spec, { replicas: 3_000_000_000 }),
      code: 'schema/format',
    },
    {
      name: 'prometheus-memory-not-a-quantity-invalid',
      mutate: (p) => Object.assign(p.spec.resources.requests, { memory: 'lots' }),
      code: 'schema/invalid',
    },
    {
      name: 'prometheus-unknown-spec-field-invalid',
      mutate: (p) => Object.assign(p.spec, { replica: 2 }),
      code: 'schema/unknown-field',
    },
    {
      name: 'prometheus-unknown-root-field-invalid',
      mutate: (p) => Object.assign(p, { extra: true }),
      code: 'schema/unknown-field',
    },
    {
      name: 'prometheus-missing-spec-invalid',
      mutate: (p) => Reflect.deleteProperty(p, 'spec'),
      code: 'schema/missing-field',
    },
  ];

/** The JSON schemas openapi2jsonschema produced from the CRD, compiled with ajv. */
function convertedSchema(file: string): (data: unknown) => boolean {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) });
  const validate = ajv.compile(
    JSON.parse(fs.readFileSync(path.join(DATA, 'openapi2jsonschema', file), 'utf8')) as object,
  );
  return (data) => validate(data);
}

describe('openapi2jsonschema: the prometheus CRD', () => {
  const closedRoot = convertedSchema('prometheus_v1-denyRootAdditionalProperties.json');
  const openRoot = convertedSchema('prometheus_v1-expected.json');

  it('is a valid apiextensions.k8s.io/v1 CustomResourceDefinition for Kubernetes 1.33', async () => {
    const result = await check({
      paths: [PROMETHEUS_CRD],
      cwd: DATA,
      config: false,
      strict: true,
      kubernetesVersion: KUBERNETES_VERSION,
    });
    expect(result.resources.map((r) => `${r.id.apiVersion}/${r.id.kind}/${r.id.name}`)).toEqual([
      'apiextensions.k8s.io/v1/CustomResourceDefinition/prometheuses.monitoring.coreos.com',
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([]);
  });

  it.each(PROMETHEUS_SAMPLES)(
    '$name: strict shipshape agrees with the converted schema (root closed)',
    async ({ name, mutate, code }) => {
      const sample = structuredClone(prometheus) as PrometheusSample;
      mutate(sample);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-kubeconform-'));
      tempDirs.push(dir);
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(sample, null, 2));
      const result = await check({
        paths: ['.'],
        cwd: dir,
        config: { crds: [path.join(DATA, 'openapi2jsonschema')] },
        strict: true,
        kubernetesVersion: KUBERNETES_VERSION,
      });
      expect(result.diagnostics.map((d) => d.code)).toEqual(code === undefined ? [] : [code]);
      expect(closedRoot(sample)).toBe(code === undefined);
      // The default conversion leaves the root open: only the root field sample tells them apart.
      expect(openRoot(sample)).toBe(code === undefined || name === 'prometheus-unknown-root-field-invalid');
    },
  );
});
