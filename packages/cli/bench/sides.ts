/// <reference types="node" />
// The two sides of every comparison: `check()` from the shipshape API, and the floor it is held
// against, plain js-yaml parsing of the same files. Both are loaded here and nowhere else.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseManifestFile } from '@shipshape/manifests';

// ── check() ──

/** The counts the bench reads from `CheckResult.summary`. */
export interface CheckSummary {
  readonly files: number;
  readonly resources: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** The files check parsed, relative to the folder: the baseline parses exactly these. */
  readonly fileList: readonly string[];
}

/**
 * What a check run does: parse only, parse and validate schemas, parse and check policies, the
 * same policy check with every finding dropped as its rule reports it (what the rules cost inside
 * the check, without building, placing, sorting or keeping a finding), or the policy check's
 * findings reported again by one rule that evaluates nothing (what the findings cost alone:
 * building, placing, sorting and keeping them; see {@link replayModule}).
 */
export type CheckMode = 'parse' | 'schemas' | 'policies' | 'quiet-policies' | 'replayed-findings';

/** The policy packs the `policies` mode runs. */
export const BENCH_POLICIES = ['pss-restricted', 'best-practices'] as const;

/** Check one folder, the way a user of the high-level API would. */
export type RunCheck = (folder: string, mode: CheckMode) => Promise<CheckSummary>;

/** Whether `check` could be loaded; when not, the bench still measures the baseline. */
export type CheckLoad =
  | {
      readonly ok: true;
      readonly run: RunCheck;
      /** The same check, returning its whole result (to see what holding it costs). */
      readonly result: (folder: string, mode: CheckMode) => Promise<unknown>;
      /** A policy check (the `policies` mode) that times itself (`timing: true`). */
      readonly timedPolicies: (folder: string) => Promise<PolicyCheckTimings | undefined>;
    }
  | { readonly ok: false; readonly reason: string };

const SUMMARY_KEYS = ['files', 'resources', 'errors', 'warnings', 'infos'] as const;

/**
 * The one place that knows how `check()` from `shipshape` is called. The API is imported by name,
 * as a user would, so this measures the built `dist/` that `pnpm bench` compiles first. It is typed
 * against the documented contract, not the package's declarations, so the bench loads (and the
 * baseline runs) even while the API is missing or changing; adjust here if the contract moves.
 */
export async function loadCheck(specifier = 'shipshape'): Promise<CheckLoad> {
  let mod: unknown;
  try {
    mod = await import(specifier);
  } catch (error) {
    return { ok: false, reason: `cannot import '${specifier}': ${describe(error)}` };
  }
  const check = (mod as { check?: unknown }).check;
  if (typeof check !== 'function') return { ok: false, reason: `'${specifier}' does not export check()` };
  const call = check as (options: {
    paths?: string[];
    cwd?: string;
    ref?: string;
    validate?: boolean;
    policies?: string[];
    admissionPolicies?: boolean;
    config?: false;
    timing?: boolean;
  }) => Promise<unknown>;
  const result = async (folder: string, mode: CheckMode): Promise<unknown> =>
    call({
      cwd: folder,
      paths: ['.'],
      config: false,
      validate: mode === 'schemas',
      // Each mode measures its own stage: admission policies count only with policies.
      ...(mode === 'policies'
        ? { policies: [...BENCH_POLICIES] }
        : mode === 'quiet-policies'
          ? { policies: [quietPolicyModule()], admissionPolicies: false }
          : mode === 'replayed-findings'
            ? {
                policies: [await replayModule(folder, () => result(folder, 'policies'))],
                admissionPolicies: false,
              }
            : { admissionPolicies: false }),
    });
  const timedPolicies = async (folder: string): Promise<PolicyCheckTimings | undefined> => {
    const timed = await call({
      cwd: folder,
      paths: ['.'],
      config: false,
      policies: [...BENCH_POLICIES],
      timing: true,
    });
    return readTimings((timed as { timings?: unknown }).timings);
  };
  return {
    ok: true,
    run: async (folder, mode) => readSummary(await result(folder, mode)),
    result,
    timedPolicies,
  };
}

/** A timed policy check's figures (`CheckResult.timings`, milliseconds), as the bench reads them. */
export interface PolicyCheckTimings {
  readonly total: number;
  readonly policies: number;
  readonly placing: number;
  readonly rules: readonly {
    readonly rule: string;
    readonly check: number;
    readonly finish: number;
    readonly calls: number;
  }[];
}

/** The timings of a check's result, or `undefined` when it has none (a `check()` that cannot time). */
function readTimings(value: unknown): PolicyCheckTimings | undefined {
  const t = value as Partial<PolicyCheckTimings> | undefined;
  if (
    t === undefined ||
    typeof t.total !== 'number' ||
    typeof t.policies !== 'number' ||
    typeof t.placing !== 'number' ||
    !Array.isArray(t.rules)
  )
    return undefined;
  return t as PolicyCheckTimings;
}

const replayModules = new Map<string, string>();

/**
 * A custom rule module that reports, on each resource, the findings the policy check reported on it
 * (recorded once per folder from one policy check, before anything is timed): the same number of
 * findings, at the same pointers (keys or values), with the same messages, severities and data
 * objects, from a rule that evaluates nothing. Findings that rules hold for `finish` are reported
 * from `check` here, as a rule that needs nothing from other resources would. Written to a
 * temporary folder removed when the process exits.
 */
async function replayModule(folder: string, policyCheck: () => Promise<unknown>): Promise<string> {
  const known = replayModules.get(folder);
  if (known !== undefined) return known;
  const result = (await policyCheck()) as {
    diagnostics: readonly RecordedDiagnostic[];
    text: (path: string) => string | undefined;
  };
  const byResource: Record<string, [string, boolean, string, string, number][]> = {};
  const data: unknown[] = [];
  const dataIndex = new Map<string, number>();
  const kinds = new Set<string>();
  for (const d of result.diagnostics) {
    if (d.resource === undefined || d.path === undefined || d.suppressed !== undefined) continue;
    // Only what the rules found: the parse reports some problems on a resource too (a namespace on
    // a cluster-scoped kind), and the replaying check reports those itself.
    if (!POLICY_CODE.test(d.code)) continue;
    // By file, document and identity: the corpus repeats identities across folders (kustomize's
    // test data), and a key without the place gave each copy the findings of all (10.7 million
    // instead of 189,000).
    const key = `${placeOf(d, result.text)}\u0000${d.resource.kind}\u0000${d.resource.namespace}\u0000${d.resource.name}`;
    kinds.add(d.resource.kind);
    // The same data object for findings that carry equal data, as rules report one constant.
    let index = -1;
    if (d.data !== undefined) {
      const json = JSON.stringify(d.data);
      index = dataIndex.get(json) ?? data.push(d.data) - 1;
      dataIndex.set(json, index);
    }
    const list = byResource[key] ?? [];
    byResource[key] = list;
    list.push([d.path, isKeySpan(d, result.text), d.message, d.severity, index]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-replayed-findings-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const recorded = join(dir, 'findings.json');
  writeFileSync(recorded, JSON.stringify({ kinds: [...kinds], byResource, data }));
  const file = join(dir, 'replayed-findings.mjs');
  writeFileSync(
    file,
    `import { readFileSync } from 'node:fs';
const recorded = JSON.parse(readFileSync(${JSON.stringify(recorded)}, 'utf8'));
const table = new Map(Object.entries(recorded.byResource));
export default {
  rules: [{
    id: 'replay/findings',
    severity: 'warning',
    kinds: recorded.kinds,
    docs: { summary: 'Reports the findings a policy check recorded.', details: 'Bench only.' },
    check(resource, context) {
      const id = resource.id;
      const list = table.get(resource.source.path + '\\u0000' + resource.source.document + '\\u0000' + id.kind + '\\u0000' + id.namespace + '\\u0000' + id.name);
      if (list === undefined) return;
      for (let i = 0; i < list.length; i++) {
        const [path, atKey, message, severity, data] = list[i];
        context.report(data < 0 ? { path, atKey, message, severity } : { path, atKey, message, severity, data: recorded.data[data] });
      }
    },
  }],
};
`,
  );
  replayModules.set(folder, file);
  return file;
}

/** `<file>\u0000<document>` of a diagnostic's span, the documents found as the check found them. */
function placeOf(d: RecordedDiagnostic, text: (path: string) => string | undefined): string {
  if (d.span === undefined) return '';
  let documents = documentsOf.get(d.span.path);
  if (documents === undefined) {
    const content = text(d.span.path) ?? '';
    documents = parseManifestFile({ path: d.span.path, content }).locator?.documents ?? [];
    documentsOf.set(d.span.path, documents);
  }
  const offset = d.span.start.offset;
  const document = documents.findIndex((r) => offset >= r.start && offset < r.end);
  return `${d.span.path}\u0000${document}`;
}

const documentsOf = new Map<string, readonly { readonly start: number; readonly end: number }[]>();

/**
 * The codes the policy packs and the admission-policy rule report under, and their rule errors (the
 * engine's notes on exception annotations it makes again in the replaying check).
 */
const POLICY_CODE = /^(?:(?:pss|bp|vap)\/|policy\/rule-error$)/;

/** The parts of a diagnostic the replay records. */
interface RecordedDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly resource?: { readonly kind: string; readonly namespace: string; readonly name: string };
  readonly path?: string;
  readonly span?: {
    readonly path: string;
    readonly start: { offset: number };
    readonly end: { offset: number };
  };
  readonly data?: unknown;
  readonly suppressed?: unknown;
}

/** Whether the finding was placed on its mapping key (the span's text is the pointer's last key). */
function isKeySpan(d: RecordedDiagnostic, text: (path: string) => string | undefined): boolean {
  if (d.span === undefined || d.path === undefined) return false;
  const source = text(d.span.path);
  if (source === undefined) return false;
  const last = d.path
    .slice(d.path.lastIndexOf('/') + 1)
    .replaceAll('~1', '/')
    .replaceAll('~0', '~');
  const written = source.slice(d.span.start.offset, d.span.end.offset);
  return last !== '' && (written === last || written === `"${last}"` || written === `'${last}'`);
}

let quietModule: string | undefined;

/**
 * A custom rule module (`check` loads `.mjs` files given as policies) that exports the bench's packs
 * with their findings dropped (`quietBenchPack` in stage-costs.ts), written once per process to a
 * temporary folder that is removed when the process exits.
 */
function quietPolicyModule(): string {
  if (quietModule !== undefined) return quietModule;
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-quiet-policies-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'quiet-policies.mjs');
  const source = new URL('./stage-costs.ts', import.meta.url).href;
  writeFileSync(file, `export { quietBenchPack as default } from ${JSON.stringify(source)};\n`);
  quietModule = file;
  return file;
}

function readSummary(result: unknown): CheckSummary {
  const summary = (result as { summary?: Record<string, unknown> } | undefined)?.summary;
  const counts: Record<string, number> = {};
  for (const key of SUMMARY_KEYS) {
    const value = summary?.[key];
    if (typeof value !== 'number') throw new TypeError(`check() result has no numeric summary.${key}`);
    counts[key] = value;
  }
  const files = (result as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new TypeError('check() result has no files list');
  return { ...counts, fileList: files as string[] } as unknown as CheckSummary;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

// ── js-yaml baseline ──

/** js-yaml's `loadAll` (made of its two halves, see {@link loadJsYaml}): a stream's documents. */
export type LoadAll = (text: string) => unknown[];

/** What the baseline saw in one tree. */
export interface BaselineCount {
  readonly files: number;
  /** Non-empty documents returned by `loadAll`. */
  readonly documents: number;
  /** Files whose `loadAll` threw; their documents are not counted. */
  readonly failedFiles: number;
}

const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;

/**
 * Load the js-yaml build that `@shipshape/manifests` itself imports (`js-yaml/browser`, its
 * transpiled ESM build, through that package's own dependency link), so both sides of the ratio run
 * the very same parser code. The main ESM entry (`js-yaml`'s `import` condition) parses about twice
 * as slowly on Node 20, which is why manifests does not use it (docs/decisions.md). The bench folder
 * has no dependencies of its own, and the root must not gain one for this.
 */
export async function loadJsYaml(): Promise<LoadAll> {
  const fromManifests = createRequire(new URL('../../manifests/package.json', import.meta.url));
  const manifestPath = fromManifests.resolve('js-yaml/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: { './browser'?: { import?: string } };
  };
  const entry = manifest.exports?.['./browser']?.import;
  if (entry === undefined) throw new Error(`no './browser' ESM entry in ${manifestPath}`);
  const mod = (await import(pathToFileURL(join(dirname(manifestPath), entry)).href)) as {
    parseEvents?: unknown;
    constructFromEvents?: unknown;
  };
  const { parseEvents, constructFromEvents } = mod;
  if (typeof parseEvents !== 'function' || typeof constructFromEvents !== 'function') {
    throw new Error(`js-yaml at ${manifestPath} has no parseEvents and constructFromEvents`);
  }
  // `loadAll`'s two halves, called as manifests calls them: `loadAll` itself merges its default
  // options on every call, which costs about a sixth of the parse, and the floor must be the
  // cheapest way to the same documents.
  const parse = parseEvents as (text: string, options: object) => unknown;
  const construct = constructFromEvents as (events: unknown, options: { source: string }) => unknown[];
  return (text) => construct(parse(text, {}), { source: text });
}

/**
 * Every `*.yaml`, `*.yml` and `*.json` file under `root`, sorted. Part of the timed baseline, since
 * `check` has to find its files too.
 */
export function listManifestFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}

/**
 * The floor `check` is measured against: walk `root`, read each manifest file with `readFileSync`
 * and parse it with `loadAll`, nothing else. With `only` (absolute paths of the files `check`
 * parsed), exactly those files are parsed, so both sides parse the same files.
 */
export function parseWithJsYaml(root: string, loadAll: LoadAll, only?: ReadonlySet<string>): BaselineCount {
  // Finding the files is part of the job on both sides: walk the folder, then keep the ones check parsed.
  const listed = listManifestFiles(root);
  const files = only ? listed.filter((f) => only.has(f)) : listed;
  let documents = 0;
  let failedFiles = 0;
  for (const file of files) {
    try {
      for (const document of loadAll(readFileSync(file, 'utf8'))) {
        if (document !== null && document !== undefined) documents += 1;
      }
    } catch {
      failedFiles += 1;
    }
  }
  return { files: files.length, documents, failedFiles };
}
