import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  countSeverities,
  type Diagnostic,
  formatResourceKey,
  type Resource,
  type SeverityCounts,
  sortDiagnostics,
} from '@shipshape/core';
import {
  isKustomizationPath,
  isManifestPath,
  ManifestCollector,
  type ManifestFile,
  type ManifestSet,
  parseManifestFile,
  readKustomization,
} from '@shipshape/manifests';
import { isPackName, matchesRule, type PolicyTimings, type RuleTiming } from '@shipshape/policy';
import { gitTree, RepoError } from '@shipshape/repo';
import type { RuleInfo } from '@shipshape/report';
import { BUNDLED_KUBERNETES_VERSIONS, resolveKubernetesVersion } from '@shipshape/schema';
import { refusedClaimResizes } from './claim-resizes.js';
import {
  CONFIG_FILE_NAMES,
  type ConfigException,
  expiryDay,
  type FailOn,
  parseConfig,
  type ShipshapeConfig,
} from './config.js';
import { destructivePrunes } from './destructive-prune.js';
import { ShipshapeError } from './errors.js';
import { compileGlobs } from './glob.js';
import { PolicyStage, policyRuleInfos, resolvePolicies } from './policy-stage.js';
import { type PreviousObjects, previousObjects } from './previous-objects.js';
import { RULES } from './rules.js';
import { readCrdFolders, SchemaStage } from './schema-stage.js';
import {
  changedFiles,
  changedSince,
  findGitRoot,
  type OpenedTree,
  openTree,
  skippedDiagnostic,
  toPosix,
  wrapRepo,
} from './trees.js';

/** Options of {@link check}. */
export interface CheckOptions {
  /** Files or folders to check, relative to `cwd`. Default: the config's `paths`, else `['.']`. */
  readonly paths?: readonly string[];
  /** Folder that relative paths start from. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Read each PATH from this Git ref of the repository holding it instead of the working folder. */
  readonly ref?: string;
  /**
   * Report only on files changed since this ref (all files are still read, so duplicates across
   * files are found). Admission policies judge a resource the changed files held at this ref as
   * an UPDATE of that object, and an object they held that no checked file has now as a DELETE;
   * CRDs' transition rules run on such updates.
   */
  readonly changedSince?: string;
  /** A config file path, a config object, or `false` to use none. Default: `shipshape.yaml` found from the first PATH up to the Git root. */
  readonly config?: string | ShipshapeConfig | false;
  /** Called while files are read and parsed. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Target Kubernetes version (`X.Y`) for schema validation. Default: the config's, else the newest bundled. */
  readonly kubernetesVersion?: string;
  /** Unknown fields are errors. Default: the config's, else `true`. */
  readonly strict?: boolean;
  /** Validate resources against the Kubernetes schemas and CRDs. Default `true`. */
  readonly validate?: boolean;
  /**
   * Policy packs (`pss-baseline`, `pss-restricted`, `pss-namespaces`, `best-practices`), custom rule modules
   * (`./rules.js`) and ValidatingAdmissionPolicy files, relative to `cwd`; added to the config's
   * `policies`. ValidatingAdmissionPolicies found in the repository are always evaluated.
   */
  readonly policies?: readonly string[];
  /**
   * Evaluate the ValidatingAdmissionPolicies and bindings found in the checked tree (and given in
   * `policies`). Default: the config's `admissionPolicies`, else `true`.
   */
  readonly admissionPolicies?: boolean;
  /** When the config's exceptions are judged for `expires`. Default: now. */
  readonly now?: Date;
  /**
   * Time the stages and every policy rule, for `CheckResult.timings` (what `--timing` prints).
   * Default `false`: nothing is timed.
   */
  readonly timing?: boolean;
}

/**
 * Where a check's time went, in milliseconds (wall clock). Schema validation and policies run over
 * batches of files as they are read, so `total` less the two is reading, parsing, and everything else.
 */
export interface CheckTimings {
  /** The whole check, from the call to its result. */
  readonly total: number;
  /** Validating resources against the Kubernetes schemas and CRDs (0 when not validating). */
  readonly schemas: number;
  /** Running the policy rules, placing their findings included (0 when no rule runs). */
  readonly policies: number;
  /** Of `policies`: placing findings in the source (file, line and column). */
  readonly placing: number;
  /** Each policy rule, in the order the run gave them to the engine. */
  readonly rules: readonly RuleTiming[];
}

/** Counts of the run, as the JSON report's `summary`. */
export interface CheckSummary extends SeverityCounts {
  readonly files: number;
  readonly resources: number;
}

/** What {@link check} returns. */
export interface CheckResult {
  /** Every diagnostic, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly resources: readonly Resource[];
  /**
   * Every manifest file read (as shown in diagnostics), sorted; with `changedSince`, the changed
   * ones and those holding a finding reported.
   */
  readonly files: readonly string[];
  readonly summary: CheckSummary;
  /** Every code this run could report, with titles and help (SARIF rule metadata). */
  readonly rules: readonly RuleInfo[];
  /** The configuration in force, and where it came from. */
  readonly config: ShipshapeConfig;
  readonly configPath: string | undefined;
  /**
   * The text of a checked file, for code frames. With `changedSince`, a finding on an object the
   * change deleted sits in its file at the base ref (its span's `ref`): `ref` asks for that text.
   */
  text(path: string, ref?: string): string | undefined;
  /**
   * Findings left out of `diagnostics` (with `changedSince`, those in unchanged files) that mark a
   * credential (`data.sensitive`): give them to reports (`CheckReport.sensitive`), so that their
   * lines stay hidden in the code frames of the findings shown.
   */
  readonly sensitive: readonly Diagnostic[];
  /** Whether any diagnostic is at or above `failOn` (default: the config's, else `error`). */
  failed(failOn?: FailOn): boolean;
  /** Where the time went, when the check was asked to time itself (`timing: true`). */
  readonly timings?: CheckTimings;
}

const READ_BATCH = 64;

/**
 * Resources validated and checked together, once their files are parsed. Run file by file, between
 * two parses, schema validation and the policy rules took about twice as long: each parse pushed
 * their code and data out of the processor's caches (docs/decisions.md, "Making policies cheap").
 * Larger batches keep more objects alive at once.
 */
const BATCH = 512;

/**
 * Check manifest repositories: read every YAML and JSON manifest under the PATHs (from the folder
 * or a Git ref), and return every problem with file, line and column. Problems in the manifests
 * are diagnostics; a missing PATH, an unknown ref or a bad config throw a {@link ShipshapeError}.
 *
 * @example
 * ```ts
 * import { check } from 'shipshape';
 * const result = await check({ paths: ['clusters/prod'], ref: 'main' });
 * for (const d of result.diagnostics) console.log(d.span?.path, d.span?.start.line, d.code, d.message);
 * process.exitCode = result.failed('warning') ? 1 : 0;
 * ```
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  return runCheck(options, false);
}

/**
 * {@link check}, keeping every resource's object when `retainObjects` (callers that read them all,
 * such as `diff`, would otherwise parse every document a second time through the lazy getter).
 */
async function runCheck(
  options: CheckOptions,
  retainObjects: boolean,
  reportUnrendered = false,
): Promise<CheckResult> {
  const clock = options.timing === true ? () => performance.now() : undefined;
  const started = clock?.() ?? 0;
  const cwd = options.cwd ?? process.cwd();
  const { config, configPath, configText } =
    options.ref !== undefined && options.config === undefined
      ? await loadConfigAtRef(cwd, options.paths?.[0], options.ref)
      : loadConfig(options, cwd);
  const configDir = configPath ? path.dirname(configPath) : cwd;
  const paths = options.paths?.length
    ? options.paths
    : (config.paths?.map((p) => path.relative(cwd, path.resolve(configDir, p)) || '.') ?? ['.']);
  const ignored = compileGlobs(config.ignore ?? []);
  const configFile = configPath ? path.relative(cwd, configPath) || configPath : undefined;
  const version = options.kubernetesVersion ?? config.kubernetesVersion;
  // A bad version is blamed on where it was written: the flag, or the config file's field.
  checkVersion(
    version,
    options.kubernetesVersion !== undefined ? undefined : `${configFile ?? 'the config'}: kubernetesVersion`,
  );
  const crdFolders = await readCrdFolders(config.crds ?? [], configDir, cwd, options.ref);
  // Objects are released file by file (and parsed again only if read from the result): a check
  // holds the repository's text, not its objects.
  const collector = new ManifestCollector({ ...config.limits, retainObjects });
  // With `changedSince`, what the changed files held at the base ref: a changed resource is an
  // update of its object there, for admission policies and for CRDs' transition rules.
  // The changed paths of each repository, found once for both.
  const changes = new Map<string, Set<string>>();
  const previous =
    options.changedSince === undefined
      ? undefined
      : await previousObjects(
          paths,
          cwd,
          options.changedSince,
          options.ref,
          isConfigPath,
          config.limits,
          changes,
        );
  const schemas =
    options.validate === false
      ? undefined
      : await SchemaStage.open(
          {
            version,
            strict: options.strict ?? config.strict ?? true,
            previous: previous?.resources,
          },
          collector.locator,
          crdFolders.resources,
        );
  const policies = await resolvePolicies({
    flags: options.policies ?? [],
    config: config.policies ?? [],
    cwd,
    configDir,
    ...(configFile === undefined ? {} : { configFile }),
  });
  // Files the run was given besides the tree (`--policy` manifests, the config's CRD folders):
  // their problems always count.
  const givenFiles = new Set(
    [
      ...policies.resources.map((r) => r.source.path),
      ...policies.diagnostics.map((d) => d.span?.path),
      ...crdFolders.diagnostics.map((d) => d.span?.path),
    ].filter((p): p is string => p !== undefined),
  );
  const admissionPolicies = options.admissionPolicies ?? config.admissionPolicies ?? true;
  const policyStage = new PolicyStage(
    policies,
    config,
    policyVersion(version),
    collector.locator,
    admissionPolicies,
    configFile,
    // Admission policies' expressions are type-checked against the kinds' schemas, when loaded.
    schemas?.bundle,
    previous,
    clock,
  );
  // Time in each stage, when timed.
  const spent = { schemas: 0, policies: 0 };
  // Schema validation and policy rules run over batches of resources, once their files are parsed
  // (see BATCH); the collector holds those files' objects and texts until then. A check with neither
  // stage holds nothing (the policy stage still reads exception annotations, file by file).
  const batched = schemas !== undefined || policyStage.rules.length > 0;
  const pending: Resource[] = [];
  const runStages = (): void => {
    const start = clock?.() ?? 0;
    // Resources that wait for CRDs read their objects back, and their files' texts are decoded
    // again if a finding is placed in them at the end.
    schemas?.take(pending);
    const between = clock?.() ?? 0;
    policyStage.take(pending);
    if (clock) {
      spent.schemas += between - start;
      spent.policies += clock() - between;
    }
    pending.length = 0;
    collector.releaseHeld();
  };
  const use = (resources: readonly Resource[]): void => {
    for (let i = 0; i < resources.length; i++) pending.push(resources[i] as Resource);
    if (!batched) runStages();
  };
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const changed = new Set<string>();
  const read = new Set<string>();
  let total = 0;
  for (const arg of paths) {
    const opened = await openTree(arg, cwd, options.ref);
    const listing = await wrapRepo(() =>
      opened.tree.list(opened.prefix === '' ? {} : { prefix: opened.prefix }),
    );
    // A file named as PATH reports only its own problems, not those of the folder around it.
    for (const skipped of listing.skipped) {
      if (opened.only === undefined || skipped.path === opened.only)
        diagnostics.push(skippedDiagnostic(skipped, opened));
    }
    const realOf = new Map<string, string>();
    for (const f of listing.files) if (f.real !== undefined) realOf.set(f.path, f.real);
    const inScope = listing.files
      .map((f) => f.path)
      .filter((p) => (opened.only === undefined || p === opened.only) && !ignored(below(p, opened.prefix)));
    const side = await sideFiles(opened, inScope, diagnostics, reportUnrendered);
    const selected = inScope
      .filter((p) => (p === opened.only || (isManifestPath(p) && !isConfigPath(p))) && !side.has(p))
      // A file reached by two PATHs (`. apps/web.yaml`), or twice in one through a linked folder,
      // is read once: it is no duplicate of itself.
      .filter((p) => {
        const identity = realOf.get(p) ?? opened.identity(p);
        if (read.has(identity)) return false;
        read.add(identity);
        return true;
      });
    if (options.changedSince !== undefined) {
      const since = await changedSince(opened, options.changedSince, changes);
      for (const p of selected) {
        const repoPath = opened.repoPath(p);
        if (repoPath !== undefined && since.has(repoPath)) changed.add(opened.display(p));
      }
    }
    total += selected.length;
    for (let i = 0; i < selected.length; i += READ_BATCH) {
      const batch = selected.slice(i, i + READ_BATCH);
      const contents = await wrapRepo(() => Promise.all(batch.map((p) => opened.tree.read(p))));
      batch.forEach((p, k) => {
        const file: ManifestFile = { path: opened.display(p), content: contents[k] ?? new Uint8Array() };
        const named = opened.ref ? { ...file, ref: opened.ref } : file;
        if (batched) collector.hold(named, use);
        else collector.add(named, use);
        files.push(file.path);
      });
      if (pending.length >= BATCH) runStages();
      options.onProgress?.(files.length, total);
    }
  }
  runStages();
  const set = collector.finish();
  // What the CRD folders' files could not give (a YAML error in one) is reported, not dropped;
  // once, when a folder is inside the checked tree and its files were read there too.
  const seen = new Set(diagnostics.map(problemKey));
  for (const d of set.diagnostics) seen.add(problemKey(d));
  for (const d of crdFolders.diagnostics) if (!seen.has(problemKey(d))) diagnostics.push(d);
  const schemasDone = clock?.() ?? 0;
  const schemaFindings = schemas?.finish() ?? [];
  const policiesDone = clock?.() ?? 0;
  const policyFindings = policyStage.finish();
  if (clock) {
    spent.schemas += policiesDone - schemasDone;
    spent.policies += clock() - policiesDone;
  }
  // Loops, not push(...list): a list of 100,000 diagnostics overflows the call stack as arguments.
  for (const list of [set.diagnostics, schemaFindings, policyFindings]) {
    for (const d of list) diagnostics.push(d);
  }
  // What a pruning sync of the change deletes besides the objects themselves.
  if (previous !== undefined) {
    for (const d of destructivePrunes(previous, set.resources)) diagnostics.push(d);
    // A claim grown where its StorageClass does not allow it: the sync's update is refused.
    for (const d of refusedClaimResizes(previous, set.resources, set.locator)) diagnostics.push(d);
  }
  // Findings placed at the end decoded their files again; the result keeps bytes, not texts.
  collector.release();
  const inChanged = (p: string | undefined) => p !== undefined && changed.has(p);
  const isBase = baseRef(previous, options.ref);
  const atBase = (span: { readonly ref?: string }) => isBase(span.ref);
  const configSource =
    configFile !== undefined && configText !== undefined ? { path: configFile, text: configText } : undefined;
  const configured = applyConfig(
    diagnostics,
    config,
    configSource,
    options.changedSince === undefined && coversConfigScope(options.paths, paths, cwd, configDir, config),
    configPath === undefined ? (shown) => shown : fromConfigFolder(cwd, path.dirname(configPath)),
    (options.now ?? new Date()).toISOString().slice(0, 10),
  );
  // With `changedSince`, what is placed in files of the tree is scoped: findings in the policy
  // files given to the run, and notes about the run itself (no file), always count; so do findings
  // in files the change did not touch that the tree at the base ref does not have (a changed
  // PodDisruptionBudget selector that leaves an unchanged Deployment uncovered).
  const scoped =
    options.changedSince === undefined
      ? { diagnostics: configured, sensitive: [] }
      : await scopeToChange(
          configured,
          (d) =>
            d.span === undefined ||
            givenFiles.has(d.span.path) ||
            inChanged(d.span.path) ||
            // On an object the change deletes, in its file at the base ref.
            atBase(d.span) ||
            inChanged((d.data?.['first'] as { path?: string } | undefined)?.path),
          { ...options, cwd, changedSince: options.changedSince },
          policyInputs(options, config, cwd, configDir),
        );
  const final = sortDiagnostics(scoped.diagnostics);
  // With `changedSince`, the report covers the changed files and the files its findings are in
  // (what a change causes elsewhere): "2 errors in 1 file" for findings in two other files would
  // contradict itself, and JUnit lists each of these files.
  const reported =
    options.changedSince === undefined
      ? undefined
      : new Set([...changed, ...final.flatMap((d) => (d.span ? [d.span.path] : []))]);
  const resources =
    reported === undefined ? set.resources : set.resources.filter((r) => reported.has(r.source.path));
  const checkedFiles = [
    ...new Set([
      ...(reported === undefined ? files : files.filter((p) => reported.has(p))),
      // The files at the base ref that objects were deleted from, when a finding is on one (only
      // a check against previous objects has any: no array per finding otherwise).
      ...(previous === undefined
        ? []
        : final.flatMap((d) => (d.span !== undefined && atBase(d.span) ? [d.span.path] : []))),
    ]),
  ].sort();
  const summary: CheckSummary = {
    files: checkedFiles.length,
    resources: resources.length,
    ...countSeverities(final),
  };
  return {
    diagnostics: final,
    resources,
    files: checkedFiles,
    summary,
    rules: [...RULES, ...policyRuleInfos(policyStage.rules)],
    config,
    configPath,
    // Made outside this function: closures made here would share its scope, and so keep the policy
    // engine and the schema validators alive as long as the result.
    text: textOf(set, previous, isBase),
    sensitive: scoped.sensitive,
    failed: failedOf(summary, config),
    ...(clock === undefined ? {} : { timings: timingsOf(clock() - started, spent, policyStage.timings()) }),
  };
}

/** The timings of a check: plain numbers, nothing that keeps the run's stages alive. */
function timingsOf(
  total: number,
  spent: { readonly schemas: number; readonly policies: number },
  policies: PolicyTimings | undefined,
): CheckTimings {
  return {
    total,
    schemas: spent.schemas,
    policies: spent.policies,
    placing: policies?.placing ?? 0,
    rules: policies?.rules ?? [],
  };
}

/** What {@link scopeToChange} keeps, and the credential findings it leaves out. */
interface Scoped {
  readonly diagnostics: Diagnostic[];
  /** Findings left out that mark credentials (`data.sensitive`): reports hide their lines still. */
  readonly sensitive: Diagnostic[];
}

/**
 * The diagnostics of a `changedSince` check: those `inScope` (in changed files), and those outside
 * it that a check of the tree at the base ref does not report, which the change caused. The base is
 * checked only when something lies outside the scope. Files the base does not have, though
 * unchanged (ignored by Git, say), are not compared. When the base cannot be checked (a config that
 * does not load there), or the comparison would mislead (a policy file or module, or a config given
 * by path, changed: the base check reads those from the working folder too), a note says so and
 * the findings outside the changed files are left out, or all shown.
 */
async function scopeToChange(
  diagnostics: readonly Diagnostic[],
  inScope: (d: Diagnostic) => boolean,
  options: CheckOptions & { readonly cwd: string; readonly changedSince: string },
  inputs: readonly string[],
): Promise<Scoped> {
  const kept: Diagnostic[] = [];
  const outside: Diagnostic[] = [];
  for (const d of diagnostics) (inScope(d) ? kept : outside).push(d);
  if (outside.length === 0) return { diagnostics: kept, sensitive: [] };
  const root = findGitRoot(path.resolve(options.cwd, options.paths?.[0] ?? '.'));
  const changedInputs = await changedSinceBase(inputs, options.cwd, root, options.changedSince, options.ref);
  if (changedInputs.length > 0) {
    return {
      diagnostics: [
        ...diagnostics,
        {
          code: 'check/base-unchecked',
          severity: 'info',
          message: `${changedInputs.join(', ')} changed since ${options.changedSince}, and every file is judged by it: every finding is shown`,
        },
      ],
      sensitive: [],
    };
  }
  const withheld = (list: readonly Diagnostic[]) => list.filter((d) => d.data?.['sensitive'] === true);
  let base: CheckResult;
  try {
    // A PATH the base does not have (a folder the change adds) holds only changed files: the
    // others are compared without it.
    // With none there (an unknown ref, say), the base check reports why, below.
    const paths = options.paths === undefined ? [] : await existingAt(options.paths, options);
    base = await runCheck(
      {
        ...options,
        ...(paths.length === 0 ? {} : { paths }),
        ref: options.changedSince,
        changedSince: undefined,
        onProgress: undefined,
      },
      false,
    );
  } catch (error) {
    if (!(error instanceof ShipshapeError)) throw error;
    kept.push({
      code: 'check/base-unchecked',
      severity: 'info',
      message: `cannot check ${options.changedSince} to compare with it (${error.message}): findings a change causes in files it did not touch are not shown`,
    });
    return { diagnostics: kept, sensitive: withheld(outside) };
  }
  const before = new Set(base.diagnostics.map(findingKey));
  const tracked = new Set(base.files);
  const left: Diagnostic[] = [];
  for (const d of outside) {
    if (d.span !== undefined && tracked.has(d.span.path) && !before.has(findingKey(d))) kept.push(d);
    else left.push(d);
  }
  return { diagnostics: kept, sensitive: withheld(left) };
}

/** The PATHs that exist in the tree at the base ref. */
async function existingAt(
  paths: readonly string[],
  options: CheckOptions & { readonly cwd: string; readonly changedSince: string },
): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    try {
      await openTree(p, options.cwd, options.changedSince);
      out.push(p);
    } catch (error) {
      if (!(error instanceof ShipshapeError)) throw error;
    }
  }
  return out;
}

/**
 * Which of the files and folders a check reads besides the tree (`--policy` files and modules, a
 * config given by path) changed between `base` and `ref` (or the working folder), as shown paths:
 * manifests, modules and configs in the checked repository (`root`); files elsewhere, in another
 * repository or none, cannot be changed by a change to this one.
 */
async function changedSinceBase(
  inputs: readonly string[],
  cwd: string,
  root: string | undefined,
  base: string,
  ref: string | undefined,
): Promise<string[]> {
  // Only the checked repository's history counts: a change cannot touch another repository's
  // files, and the base ref names nothing there.
  if (root === undefined) return [];
  const mine = inputs.filter((input) => findGitRoot(input) === root);
  if (mine.length === 0) return [];
  let files: Set<string>;
  try {
    files = await changedFiles(root, base, ref, (f) => RULE_INPUT.test(f), true);
  } catch (error) {
    if (!(error instanceof ShipshapeError)) throw error;
    return []; // the base check reports the ref problem
  }
  const out: string[] = [];
  for (const input of mine) {
    const rel = toPosix(path.relative(root, input));
    const hit = [...files].some(
      (f) => RULE_INPUT.test(f) && (rel === '' || f === rel || f.startsWith(`${rel}/`)),
    );
    if (hit) out.push(path.relative(cwd, input) || input);
  }
  return out;
}

/** Files a policy input can be: manifests, rule modules, a config. */
const RULE_INPUT = /\.(?:ya?ml|json|[cm]?[jt]sx?)$/i;

/**
 * The files and folders besides the tree that decide findings: the `--policy` and config
 * `policies` files, folders and modules (not packs), and a config file given by path.
 */
function policyInputs(
  options: CheckOptions,
  config: ShipshapeConfig,
  cwd: string,
  configDir: string,
): string[] {
  return [
    ...(options.policies ?? []).filter((v) => !isPackName(v)).map((v) => path.resolve(cwd, v)),
    ...(config.policies ?? []).filter((v) => !isPackName(v)).map((v) => path.resolve(configDir, v)),
    ...(typeof options.config === 'string' ? [path.resolve(cwd, options.config)] : []),
  ];
}

/**
 * What makes two findings in an unchanged file the same finding at two refs: all but the ref. The
 * file's text is the same at both, so its offsets are too.
 */
function findingKey(d: Diagnostic): string {
  const r = d.resource;
  return JSON.stringify([
    d.code,
    d.severity,
    d.message,
    d.span?.path ?? '',
    d.span?.start.offset ?? -1,
    r === undefined ? '' : `${r.group}/${r.kind}/${r.namespace ?? ''}/${r.name}`,
    d.path ?? '',
    d.suppressed?.by ?? '',
  ]);
}

/**
 * Whether the PATHs checked cover all the config is about (its `paths`, else its folder): only such
 * a run sees every finding an exception could match, and may call an exception unused.
 */
function coversConfigScope(
  given: readonly string[] | undefined,
  paths: readonly string[],
  cwd: string,
  configDir: string,
  config: ShipshapeConfig,
): boolean {
  // Without PATHs the run checks the config's paths, or the current folder, which may be below it.
  if (!given?.length && config.paths !== undefined) return true;
  const checked = paths.map((p) => path.resolve(cwd, p));
  return (config.paths ?? ['.']).every((p) => {
    const root = path.resolve(configDir, p);
    return checked.some((c) => root === c || root.startsWith(c.endsWith(path.sep) ? c : c + path.sep));
  });
}

/**
 * The result's `text`: the decoded text of a checked file, or of a file at the base ref that a
 * finding on a deleted object sits in.
 */
function textOf(
  set: ManifestSet,
  previous: PreviousObjects | undefined,
  isBase: (ref: string | undefined) => boolean,
): CheckResult['text'] {
  return (p, at) => (previous !== undefined && isBase(at) ? previous.text(p) : set.text(p));
}

/**
 * Whether a span's ref is the base ref the previous objects were read at (and not the checked
 * ref): it is in a file as it was, where findings on deleted objects sit.
 */
function baseRef(
  previous: PreviousObjects | undefined,
  ref: string | undefined,
): (at: string | undefined) => boolean {
  return (at) => previous !== undefined && at !== undefined && at === previous.ref && at !== ref;
}

/** The result's `failed`: whether its counts reach `failOn` (the config's by default). */
function failedOf(summary: SeverityCounts, config: ShipshapeConfig): CheckResult['failed'] {
  return (failOn = config.failOn ?? 'error') => isFailure(summary, failOn);
}

/** Whether counts reach `failOn`. */
export function isFailure(counts: SeverityCounts, failOn: FailOn): boolean {
  switch (failOn) {
    case 'never':
      return false;
    case 'info':
      return counts.errors + counts.warnings + counts.infos > 0;
    case 'warning':
      return counts.errors + counts.warnings > 0;
    default:
      return counts.errors > 0;
  }
}

/**
 * The resources under `path` (read at `ref` when given), parsed only: no schema validation, no
 * policies, no admission policies. With a config, its `paths`-independent settings (ignore globs,
 * limits) apply, and every object is kept (these commands read them all). What `diff`, `health`
 * and `render` read with: a kustomization that would transform its objects is an error
 * (`kustomize/not-rendered`), since their answers would be built on objects it does not deploy.
 */
export function readResources(
  path: string,
  cwd: string,
  options: { readonly ref?: string | undefined; readonly config: ShipshapeConfig | false },
): Promise<CheckResult> {
  return runCheck(
    {
      paths: [path],
      cwd,
      config: options.config === false ? false : { ...options.config, policies: [] },
      validate: false,
      admissionPolicies: false,
      ...(options.ref === undefined ? {} : { ref: options.ref }),
    },
    true,
    true,
  );
}

/** The config in force for a run: the given object, the `--config` file, or `shipshape.yaml` found from the first PATH. */
export function loadConfig(
  options: CheckOptions,
  cwd: string,
): { config: ShipshapeConfig; configPath: string | undefined; configText?: string } {
  if (options.config === false) return { config: {}, configPath: undefined };
  if (typeof options.config === 'object') return { config: options.config, configPath: undefined };
  const file =
    options.config === undefined ? findConfig(cwd, options.paths?.[0]) : path.resolve(cwd, options.config);
  if (!file) return { config: {}, configPath: undefined };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ShipshapeError(
      'config',
      `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  return { config: parseConfig(text, path.relative(cwd, file) || file), configPath: file, configText: text };
}

/**
 * With `--ref`, the config found as {@link findConfig} finds it, but in the tree at the ref: the
 * gate a commit is checked against is the one committed with it, not the working folder's. Its
 * path is where it would be in the working folder (relative paths in it resolve from there).
 */
async function loadConfigAtRef(
  cwd: string,
  first: string | undefined,
  ref: string,
): Promise<{ config: ShipshapeConfig; configPath: string | undefined; configText?: string }> {
  const abs = path.resolve(cwd, first ?? '.');
  const root = findGitRoot(abs);
  if (root === undefined) return { config: {}, configPath: undefined };
  const tree = await wrapRepo(() => gitTree({ fs, dir: root, ref }));
  let dir = path.relative(root, abs).split(path.sep).join('/');
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const at = dir === '' ? name : `${dir}/${name}`;
      const bytes = await tree.read(at).catch((error: unknown) => {
        if (error instanceof RepoError) return undefined;
        throw error;
      });
      if (bytes === undefined) continue;
      const text = new TextDecoder().decode(bytes);
      const file = path.join(root, ...at.split('/'));
      const shown = `${path.relative(cwd, file) || file} at ${ref}`;
      return { config: parseConfig(text, shown), configPath: file, configText: text };
    }
    if (dir === '') return { config: {}, configPath: undefined };
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
}

/**
 * `shipshape.yaml` in the first PATH's folder or the closest parent up to the Git root (a check run
 * from a subfolder of the repository still reads the repository's config). Outside a Git work
 * tree, the search stops at `cwd`, or at the PATH's own folder when that is not below `cwd`: a
 * stray config higher up must not apply.
 */
function findConfig(cwd: string, first: string | undefined): string | undefined {
  let dir = path.resolve(cwd, first ?? '.');
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  const top = findGitRoot(dir) ?? (isWithin(dir, cwd) ? cwd : dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (dir === top || parent === dir) return undefined;
    dir = parent;
  }
}

function isWithin(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Files that kustomizations in the listing use as build inputs; unreadable kustomizations are reported. */
async function sideFiles(
  opened: OpenedTree,
  paths: readonly string[],
  diagnostics: Diagnostic[],
  reportUnrendered: boolean,
): Promise<Set<string>> {
  const side = new Set<string>();
  for (const p of paths.filter(isKustomizationPath)) {
    const content = await wrapRepo(() => opened.tree.read(p));
    const read = readKustomization({
      path: opened.display(p),
      content,
      ...(opened.ref ? { ref: opened.ref } : {}),
    });
    diagnostics.push(...read.diagnostics);
    if (reportUnrendered && read.transforms.length > 0)
      diagnostics.push(unrendered(opened, p, read.transforms));
    // Side files come back as shown paths; the listing is in tree paths.
    for (const s of read.sideFiles) side.add(s);
  }
  return new Set([...paths].filter((p) => side.has(opened.display(p))));
}

/**
 * A kustomization whose build would give other objects than its files as written: the objects read
 * are not what it deploys, so an answer built on them (a diff, a render) would be wrong.
 */
function unrendered(opened: OpenedTree, p: string, transforms: readonly string[]): Diagnostic {
  const at = { offset: 0, line: 1, column: 1 };
  return {
    code: 'kustomize/not-rendered',
    severity: 'error',
    message: `this kustomization is not rendered (shipshape does not build Kustomize overlays yet), and its ${transforms.join(', ')} would change the objects: the files are read as written, so the answer would be wrong; diff or render the output of \`kubectl kustomize\` instead`,
    span: {
      path: opened.display(p),
      document: 0,
      start: at,
      end: at,
      ...(opened.ref ? { ref: opened.ref } : {}),
    },
  };
}

/** What makes two reports of a problem in a file one: its code and where it is. */
function problemKey(d: Diagnostic): string {
  const at = d.span;
  return `${d.code}\u0000${at?.ref ?? ''}\u0000${at?.path ?? ''}\u0000${at?.start.offset ?? ''}\u0000${d.message}`;
}

/** shipshape's own configuration files are not manifests. */
function isConfigPath(p: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(p.slice(p.lastIndexOf('/') + 1));
}

/**
 * The policy version PSS follows: the requested Kubernetes version (`1.31`, `v1.31`, `1.31.4`),
 * else the newest bundled schemas'. A value that is not a 1.x version is a usage error, with or
 * without schema validation.
 */
function policyVersion(requested: string | undefined): string {
  if (requested === undefined) return BUNDLED_KUBERNETES_VERSIONS.at(-1) ?? '1.35';
  return resolveKubernetesVersion(requested).requested;
}

/**
 * Refuse a version that is not `1.x`: a usage error for the flag, a config error naming the file
 * and field (`configField`) for the config's.
 */
function checkVersion(requested: string | undefined, configField: string | undefined): void {
  if (requested === undefined) return;
  try {
    resolveKubernetesVersion(requested);
  } catch (error) {
    const message = (error as Error).message;
    throw configField === undefined
      ? new ShipshapeError('usage', `--kubernetes-version: ${message}`, { cause: error })
      : new ShipshapeError('config', `${configField}: ${message}`, { cause: error });
  }
}

function below(p: string, prefix: string): string {
  return prefix !== '' && p.startsWith(`${prefix}/`) ? p.slice(prefix.length + 1) : p;
}

/**
 * A shown path (relative to `cwd`, or absolute) as a path relative to the config file's folder, in
 * POSIX form: `files` globs in the config mean the same files wherever the check is run from.
 */
function fromConfigFolder(cwd: string, configDir: string): (shown: string) => string {
  return (shown) => {
    const relative = path.relative(configDir, path.resolve(cwd, shown));
    return relative.startsWith('..') || path.isAbsolute(relative)
      ? shown
      : relative.split(path.sep).join('/');
  };
}

/** Severity overrides and exceptions from the config. */
function applyConfig(
  diagnostics: readonly Diagnostic[],
  config: ShipshapeConfig,
  configFile: { readonly path: string; readonly text: string } | undefined,
  sawAll: boolean,
  filePath: (shown: string) => string,
  today: string,
): Diagnostic[] {
  const written = (config.exceptions ?? []).map((e, index) => ({ e, index, expires: expiresOf(e, index) }));
  // Past its last day an exception excepts nothing: its findings are reported again.
  const lapses = (x: (typeof written)[number]) => x.expires !== undefined && x.expires < today;
  const expired = written.filter(lapses);
  const exceptions = written
    .filter((x) => !lapses(x))
    .map(({ e, index }) => ({
      index,
      reason: e.reason,
      used: false,
      codes: [...(e.codes ?? []), ...(e.rules ?? [])],
      resources: e.resources ? compileGlobs(e.resources) : undefined,
      namespaces: e.namespaces ? compileGlobs(e.namespaces) : undefined,
      kinds: e.kinds ? compileGlobs(e.kinds) : undefined,
      names: e.names ? compileGlobs(e.names) : undefined,
      files: e.files ? compileGlobs(e.files) : undefined,
    }));
  const out: Diagnostic[] = [];
  const severities = config.severity ?? {};
  // `bp/*: warning` changes every code of the pack that has no setting of its own.
  const packWide = Object.keys(severities).some((k) => k.endsWith('/*'));
  // Nothing to change (no severities, no exceptions: the usual case), nothing looked up per
  // diagnostic: a check with 188,894 findings spent 34 ms a run here (CPU profile).
  const unchanged = exceptions.length === 0 && Object.keys(severities).length === 0;
  if (unchanged) for (let i = 0; i < diagnostics.length; i++) out.push(diagnostics[i] as Diagnostic);
  else
    for (const d of diagnostics) {
      const override = Object.hasOwn(severities, d.code)
        ? severities[d.code]
        : packWide
          ? severities[`${d.code.slice(0, Math.max(0, d.code.indexOf('/')))}/*`]
          : undefined;
      if (override === 'off') continue;
      const r = d.resource;
      // No exceptions in the config (the usual case): nothing to look for, no closure per diagnostic.
      // Every entry that matches is used (the first gives the reason): an entry shadowed by an
      // earlier one is not stale, and must not be reported for removal.
      const matching =
        exceptions.length === 0
          ? undefined
          : exceptions.filter(
              (e) =>
                (e.codes.length === 0 || e.codes.some((c) => matchesRule(c, d.code))) &&
                (!e.resources || (r !== undefined && e.resources(formatResourceKey(r)))) &&
                (!e.namespaces || (r !== undefined && e.namespaces(r.namespace ?? ''))) &&
                (!e.kinds || (r !== undefined && e.kinds(r.kind))) &&
                (!e.names || (r !== undefined && e.names(r.name))) &&
                (!e.files || (d.span !== undefined && e.files(filePath(d.span.path)))),
            );
      const placed = override ? { ...d, severity: override } : d;
      const excepted = matching?.[0];
      for (const e of matching ?? []) e.used = true;
      out.push(
        excepted && placed.suppressed === undefined
          ? { ...placed, suppressed: { by: 'config', reason: excepted.reason } }
          : placed,
      );
    }
  // The config's own notes follow its severity settings too.
  const level = (code: string) => {
    const severity = severities[code] ?? severities['config/*'] ?? 'warning';
    return severity === 'off' ? undefined : severity;
  };
  const unusedSeverity = level('config/unused-exception');
  const expiredSeverity = level('config/expired-exception');
  const unused = sawAll && unusedSeverity ? exceptions.filter((x) => !x.used) : [];
  const located =
    configFile && (unused.length > 0 || (expiredSeverity && expired.length > 0))
      ? parseManifestFile({ path: configFile.path, content: configFile.text })
      : undefined;
  // An expired exception is said whether or not this run saw all it covered: its date, not the
  // findings, makes it stale. A config given as an object has no file to point at.
  if (expiredSeverity) {
    for (const x of expired) {
      const span = located?.locator?.locate(0, `/exceptions/${x.index}/expires`);
      const where = configFile ? `in ${configFile.path}` : 'of the configuration';
      out.push({
        code: 'config/expired-exception',
        severity: expiredSeverity,
        message: `exception ${x.index + 1} ${where} ("${x.e.reason}") expired after ${x.expires}: the findings it accepted are reported again; renew it with a later day or remove it`,
        ...(span ? { span } : {}),
        data: { index: x.index, expires: x.expires },
      });
    }
  }
  if (configFile && unusedSeverity) {
    for (const e of unused) {
      const span = located?.locator?.locate(0, `/exceptions/${e.index}`);
      out.push({
        code: 'config/unused-exception',
        severity: unusedSeverity,
        message: `exception ${e.index + 1} in ${configFile.path} ("${e.reason}") matches no finding; remove it or fix its selectors`,
        ...(span ? { span } : {}),
        data: { index: e.index },
      });
    }
  }
  return out;
}

/** The last day of an exception (`YYYY-MM-DD`), if it has one; a config object's bad date is refused. */
function expiresOf(e: ConfigException, index: number): string | undefined {
  if (e.expires === undefined) return undefined;
  const day = expiryDay(e.expires);
  if (day === undefined)
    throw new ShipshapeError(
      'config',
      `invalid configuration: /exceptions/${index}/expires must be a day such as 2026-12-31, not ${JSON.stringify(e.expires)}`,
    );
  return day;
}
