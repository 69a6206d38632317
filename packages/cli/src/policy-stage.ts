import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Diagnostic, isSeverity, type Resource, type Severity, type SpanLocator } from '@shipshape/core';
import {
  isKustomizationPath,
  type ManifestFile,
  parseManifests,
  readKustomization,
} from '@shipshape/manifests';
import {
  admissionPolicyRule,
  createPolicyEngine,
  isPackName,
  type KindSchemas,
  PACK_NAMES,
  type PackName,
  type PolicyEngine,
  type PolicyTimings,
  packConflict,
  packRules,
  type Rule,
  type RuleSetting,
  ruleCatalogue,
  ruleOptionProblems,
} from '@shipshape/policy';
import type { RuleInfo } from '@shipshape/report';
import { closest } from '@shipshape/schema';
import type { ShipshapeConfig } from './config.js';
import { ShipshapeError } from './errors.js';
import { readPodSecurityConfigs } from './pod-security-config.js';
import type { PreviousObjects } from './previous-objects.js';
import { RULES } from './rules.js';

/** Where the `--policy` values and the config's `policies` came from, to resolve file paths. */
export interface PolicySources {
  /** Values of `--policy`, relative to `cwd`. */
  readonly flags: readonly string[];
  /** The config's `policies`, relative to the config file's folder. */
  readonly config: readonly string[];
  readonly cwd: string;
  readonly configDir: string;
  /** The config file as shown in messages (`shipshape.yaml`), when there is one. */
  readonly configFile?: string;
}

/** What `--policy` and the config name, resolved: packs, custom rule modules, policy manifests. */
export interface ResolvedPolicies {
  readonly packs: readonly PackName[];
  /** Rules exported by `--policy ./rules.js` modules. */
  readonly rules: readonly Rule[];
  /** ValidatingAdmissionPolicies, bindings and params from `--policy FILE.yaml`. */
  readonly resources: readonly Resource[];
  /** Problems in those policy files (they are reported, and the check goes on). */
  readonly diagnostics: readonly Diagnostic[];
  /** Places findings on the resources of those files (they are not in the checked tree). */
  readonly locator?: SpanLocator;
  /**
   * Options of `pss/namespace-labels` from a Pod Security Admission configuration among those
   * files (the config's own options for the rule win over them).
   */
  readonly podSecurity?: Readonly<Record<string, unknown>>;
}

const MODULE = /\.(?:m?js|cjs)$/i;
const TYPESCRIPT = /\.(?:m|c)?tsx?$/i;
const MANIFEST = /\.(?:ya?ml|json)$/i;

/**
 * Resolve `--policy PACK|FILE` values: a built-in pack name, a JavaScript module of custom rules
 * (default export or `rules` export: a rule, a list of rules or a pack), or a YAML/JSON file (or a
 * folder of them) with ValidatingAdmissionPolicies, bindings and their params.
 */
export async function resolvePolicies(sources: PolicySources): Promise<ResolvedPolicies> {
  const packs: PackName[] = [];
  const rules: Rule[] = [];
  const files: ManifestFile[] = [];
  // Where each manifest file was named (`--policy …` or the config), for usage errors about it.
  const named = new Map<string, { readonly shown: string; readonly code: 'usage' | 'config' }>();
  const origin = new Map<Rule, string>();
  const values = [
    ...sources.flags.map((v) => ({ v, base: sources.cwd, shown: `--policy ${v}`, code: 'usage' as const })),
    ...sources.config.map((v) => ({
      v,
      base: sources.configDir,
      shown: `${sources.configFile ?? 'the config'}: policies: ${v}`,
      code: 'config' as const,
    })),
  ];
  for (const { v, base, shown, code } of values) {
    if (isPackName(v)) {
      if (!packs.includes(v)) packs.push(v);
      continue;
    }
    const file = path.resolve(base, v);
    if (!fs.existsSync(file)) {
      throw new ShipshapeError(
        code,
        `${shown}: no built-in pack or file by that name (packs: ${PACK_NAMES.join(', ')})`,
      );
    }
    if (MODULE.test(file) || TYPESCRIPT.test(file)) {
      for (const rule of await loadRuleModule(file, shown)) {
        rules.push(rule);
        if (!origin.has(rule)) origin.set(rule, shown);
      }
      continue;
    }
    const found = manifestFiles(file);
    if (found.length === 0) {
      throw new ShipshapeError(code, `${shown}: the folder holds no YAML or JSON file (.yaml, .yml, .json)`);
    }
    for (const f of found) {
      const shownPath = path.relative(sources.cwd, f) || f;
      files.push({ path: shownPath, content: fs.readFileSync(f) });
      if (!named.has(shownPath)) named.set(shownPath, { shown, code });
    }
  }
  const conflict = packConflict(packs);
  if (conflict !== undefined) {
    const pss = (v: string) => v === 'pss-namespaces' || v === 'pss-baseline' || v === 'pss-restricted';
    const fromFlags = sources.flags.some(pss);
    throw new ShipshapeError(
      fromFlags ? 'usage' : 'config',
      `${fromFlags ? '--policy' : `${sources.configFile ?? 'the config'}: policies`}: ${conflict}`,
    );
  }
  checkRuleIds(rules, origin);
  if (files.length === 0) return { packs, rules, resources: [], diagnostics: [] };
  // One set for all the files, so that findings on their resources can be placed.
  const set = parseManifests(files);
  const podSecurity = readPodSecurityConfigs(files, set.diagnostics, set.locator);
  const [config, second] = podSecurity.found;
  const where = (p: string) => named.get(p) ?? { shown: '--policy', code: 'usage' as const };
  if (config !== undefined && second !== undefined) {
    throw new ShipshapeError(
      where(second.path).code,
      `${where(second.path).shown}: ${config.path} and ${second.path} both configure the Pod Security Admission; give the cluster's one`,
    );
  }
  if (config !== undefined) {
    // The configuration is what the pss-namespaces pack applies: naming it asks for the pack.
    const level = packs.find((p) => p === 'pss-baseline' || p === 'pss-restricted');
    if (level !== undefined) {
      throw new ShipshapeError(
        where(config.path).code,
        `${where(config.path).shown}: ${config.path} configures the Pod Security Admission, which the pss-namespaces pack applies; it cannot run with ${level}, which judges every pod at one level under the same pss/<check> codes: choose one`,
      );
    }
    if (!packs.includes('pss-namespaces')) packs.push('pss-namespaces');
  }
  return {
    packs,
    rules,
    resources: set.resources,
    diagnostics: podSecurity.diagnostics,
    locator: set.locator,
    ...(config ? { podSecurity: config.options } : {}),
  };
}

/**
 * Two rules with one id would share their settings and exceptions, and their findings could not be
 * told apart: refused, naming where each came from (a pack's rules are added later and checked in
 * {@link PolicyStage}).
 */
function checkRuleIds(rules: readonly Rule[], origin: ReadonlyMap<Rule, string>): void {
  const seen = new Map<string, Rule>();
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first !== undefined && first !== rule) {
      throw new ShipshapeError(
        'config',
        `${origin.get(rule) ?? 'a rule module'}: rule id ${rule.id} is taken by another rule (${origin.get(first) ?? 'a rule module'}); give each rule its own id`,
      );
    }
    seen.set(rule.id, rule);
  }
}

/**
 * The manifests of a `--policy` file or folder. In a folder, kustomizations and the build inputs
 * they name (patches, generator files, …) are not manifests, as in the checked tree.
 */
function manifestFiles(file: string): string[] {
  if (!fs.statSync(file).isDirectory()) return [file];
  const all = fs
    .readdirSync(file, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && MANIFEST.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const relative = (f: string) => path.relative(file, f).split(path.sep).join('/');
  const skipped = new Set<string>();
  for (const f of all) {
    const shown = relative(f);
    if (!isKustomizationPath(shown)) continue;
    skipped.add(shown);
    for (const side of readKustomization({ path: shown, content: fs.readFileSync(f) }).sideFiles)
      skipped.add(side);
  }
  return all.filter((f) => !skipped.has(relative(f)));
}

async function loadRuleModule(file: string, shown: string): Promise<Rule[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // Node.js imports TypeScript itself from 22.18 and 23.6 on; older ones need it compiled.
    const hint =
      TYPESCRIPT.test(file) && (error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ` (Node.js ${process.versions.node} cannot import TypeScript: compile the rules to JavaScript, e.g. \`tsc\` to rules.mjs, and pass that file, or use Node.js 22.18 or later)`
        : '';
    throw new ShipshapeError('config', `${shown}: cannot load the module: ${why}${hint}`, { cause: error });
  }
  const exported = mod['rules'] ?? mod['default'];
  const list = Array.isArray(exported)
    ? exported
    : isPack(exported)
      ? exported.rules
      : exported === undefined
        ? []
        : [exported];
  const bad = list.findIndex((r) => !isRule(r));
  if (list.length === 0 || bad >= 0) {
    throw new ShipshapeError(
      'config',
      `${shown}: ${list.length === 0 ? 'exports no rules' : `export ${bad} is not a rule`}: export \`rules\` (or a default) as a rule, a list of rules or a pack; a rule has an \`id\` with a \`/\`, a \`severity\` (error, warning or info), \`docs\` and \`check\` or \`finish\``,
    );
  }
  return list as Rule[];
}

function isPack(value: unknown): value is { rules: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { rules?: unknown }).rules);
}

function isRule(value: unknown): value is Rule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Rule>;
  return (
    typeof r.id === 'string' &&
    r.id.includes('/') &&
    isSeverity(r.severity) &&
    typeof r.docs === 'object' &&
    (typeof r.check === 'function' || typeof r.finish === 'function')
  );
}

/**
 * Policy checks as files stream in: every resource goes through the engine while its object is
 * fresh; rules that look across resources report from {@link PolicyStage.finish}.
 */
export class PolicyStage {
  readonly #engine: PolicyEngine;
  readonly #diagnostics: Diagnostic[];
  /** The rules that run, for the report's rule catalogue (SARIF metadata). */
  readonly rules: readonly Rule[];

  constructor(
    policies: ResolvedPolicies,
    config: ShipshapeConfig,
    kubernetesVersion: string,
    locator: SpanLocator,
    admissionPolicies: boolean,
    configFile?: string,
    kindSchemas?: KindSchemas,
    previous?: PreviousObjects,
    clock?: () => number,
  ) {
    const packs = packRules(policies.packs, kubernetesVersion);
    const rules = [
      ...packs,
      ...policies.rules,
      // ValidatingAdmissionPolicies in the repository are evaluated unless turned off; those
      // given with --policy (or the config's `policies`) always are: naming them asks for them.
      ...(admissionPolicies || policies.resources.length > 0
        ? [
            admissionPolicyRule({
              extraResources: policies.resources,
              repositoryPolicies: admissionPolicies,
              kubernetesVersion,
              ...(kindSchemas === undefined ? {} : { schemas: kindSchemas }),
              ...(previous === undefined ? {} : { previous: previous.resources }),
            }),
          ]
        : []),
    ];
    this.rules = rules;
    checkCustomIds(policies.rules, packs);
    checkConfigIds(config, rules, configFile);
    checkRuleOptions(rules, config, configFile);
    try {
      this.#engine = createPolicyEngine({
        rules,
        kubernetesVersion,
        locator: withPrevious(
          policies.locator ? eitherLocator(policies.locator, policies.resources, locator) : locator,
          previous,
        ),
        settings: settingsFrom(config, policies.podSecurity),
        ...(clock === undefined ? {} : { clock }),
        annotationExceptions: config.annotationExceptions ?? true,
      });
    } catch (error) {
      // The engine refuses rules it cannot run (`kinds` not a list, …): a rule author's mistake.
      if (!(error instanceof TypeError)) throw error;
      throw new ShipshapeError('config', error.message, { cause: error });
    }
    this.#diagnostics = [...policies.diagnostics];
  }

  take(resources: readonly Resource[]): void {
    // Index loops: for-of here cost 30 ms a run on 30,000 resources (CPU profile), 5 without.
    const engine = this.#engine;
    const out = this.#diagnostics;
    for (let i = 0; i < resources.length; i++) {
      const found = engine.check(resources[i] as Resource);
      for (let j = 0; j < found.length; j++) out.push(found[j] as Diagnostic);
    }
  }

  finish(): Diagnostic[] {
    for (const d of this.#engine.finish()) this.#diagnostics.push(d);
    return this.#diagnostics;
  }

  /** Each rule's time and the time placing findings took, when the stage was given a clock. */
  timings(): PolicyTimings | undefined {
    return this.#engine.timings();
  }
}

/**
 * Catalogue entries for policy rules: the docs summary as the title, the details as help, and for
 * the Pod Security Standards the standard's own page as the docs URL (SARIF's `helpUri` must be an
 * absolute URI; the other rules' pages under `docs/rules/` have none until they are published).
 */
export function policyRuleInfos(rules: readonly Rule[]): RuleInfo[] {
  return rules.map((rule) => ({
    code: rule.id,
    title: rule.docs.summary,
    help: rule.docs.details,
    defaultSeverity: rule.severity,
    ...(rule.id.startsWith('pss/') ? { docsUrl: PSS_URL } : {}),
  }));
}

const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/**
 * Options in the config's `rules` must be options the rule declares, with values its schema
 * accepts: a typo must not silently fall back to the default. Ids of rules that do not run in
 * this check (a pack not enabled) are not checked here (see {@link checkConfigIds}).
 */
function checkRuleOptions(
  rules: readonly Rule[],
  config: ShipshapeConfig,
  configFile: string | undefined,
): void {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const where = configFile === undefined ? '' : `${configFile}: `;
  for (const [id, options] of Object.entries(config.rules ?? {})) {
    // Options belong to one rule: under a pack's name they would change nothing.
    if (id.endsWith('/*')) {
      throw new ShipshapeError(
        'config',
        `${where}rules.${id}: options are set per rule, not per pack: name the rule (such as ${id.slice(0, -1)}replicas); severities may be set per pack, under severity`,
      );
    }
    const rule = byId.get(id);
    if (!rule) continue;
    // The policy package's own check, which the engine and the RuleTester apply too.
    const [wrong] = ruleOptionProblems(rule, options);
    if (wrong !== undefined)
      throw new ShipshapeError('config', `${where}rules.${id}.${wrong.name}: ${wrong.message}`);
  }
}

/** Every code shipshape itself reports: built-in rules at any version, and the other stages' codes. */
let builtInCodes: ReadonlySet<string> | undefined;

function knownBuiltInCodes(): ReadonlySet<string> {
  builtInCodes ??= new Set([
    ...ruleCatalogue().flatMap((g) => g.rules.map((r) => r.id)),
    // The CLI's catalogue: every stage's codes, the policy engine's own included.
    ...RULES.map((r) => r.code),
  ]);
  return builtInCodes;
}

/** `pss` for `pss/privileged`; `vap` for `vap`. */
function namespaceOf(code: string): string {
  const slash = code.indexOf('/');
  return slash < 0 ? code : code.slice(0, slash);
}

/**
 * Ids in the config's `rules` and `severity` that no rule or stage of shipshape has, in one of its
 * own namespaces (`bp/replica` for `bp/replicas`), are typos that would silently change nothing:
 * refused, with the nearest known id. Ids of custom rules, which may not be loaded in every run,
 * and `vap/<policy-name>` codes, which the repository defines, are taken as they are.
 */
function checkConfigIds(
  config: ShipshapeConfig,
  rules: readonly Rule[],
  configFile: string | undefined,
): void {
  if (config.rules === undefined && config.severity === undefined) return;
  const builtIn = knownBuiltInCodes();
  const namespaces = new Set([...builtIn].map(namespaceOf));
  const running = new Set(rules.map((r) => r.id));
  const where = configFile === undefined ? '' : `${configFile}: `;
  for (const [field, ids] of [
    ['rules', Object.keys(config.rules ?? {})],
    ['severity', Object.keys(config.severity ?? {})],
  ] as const) {
    for (const id of ids) {
      const namespace = namespaceOf(id);
      if (builtIn.has(id) || running.has(id) || !namespaces.has(namespace)) continue;
      if (id === `${namespace}/*` || (namespace === 'vap' && field === 'severity')) continue;
      const near = closest(
        id,
        [...builtIn].filter((c) => namespaceOf(c) === namespace),
      );
      throw new ShipshapeError(
        'config',
        `${where}${field}: no rule or code is named ${id}${near === undefined ? '' : ` (did you mean ${near}?)`}`,
      );
    }
  }
}

/**
 * A custom rule must not take the id of a rule that runs in the same check (a pack's), nor a code
 * another stage reports (`schema/unknown-field`): settings and exceptions could not tell them apart.
 */
function checkCustomIds(custom: readonly Rule[], packs: readonly Rule[]): void {
  const packIds = new Set(packs.map((r) => r.id));
  const stageCodes = new Set(RULES.map((r) => r.code));
  // A custom rule under `pss/`, `vap/` or another prefix of shipshape's own would take settings,
  // exceptions and credit meant for built-in rules (or a repository's admission policies).
  const namespaces = new Set([...knownBuiltInCodes()].map(namespaceOf));
  for (const rule of custom) {
    if (!packIds.has(rule.id) && !stageCodes.has(rule.id) && namespaces.has(namespaceOf(rule.id))) {
      throw new ShipshapeError(
        'config',
        `custom rule ${rule.id}: the prefix ${namespaceOf(rule.id)}/ is shipshape's own; give the rule an id with your own prefix, such as acme/…`,
      );
    }
    if (packIds.has(rule.id) || stageCodes.has(rule.id)) {
      throw new ShipshapeError(
        'config',
        `custom rule ${rule.id}: that id is shipshape's own (${packIds.has(rule.id) ? 'a rule of an enabled pack' : 'a code it reports'}); give the rule an id with your own prefix, such as acme/…`,
      );
    }
  }
}

/**
 * Places findings on resources of the `--policy` files with their own locator (they are not in
 * the checked tree), and every other finding with the check's.
 */
function eitherLocator(own: SpanLocator, resources: readonly Resource[], checked: SpanLocator): SpanLocator {
  const paths = new Set(resources.filter((r) => r.source.ref === undefined).map((r) => r.source.path));
  return routedLocator((source) => (source.ref === undefined && paths.has(source.path) ? own : checked));
}

/** A locator that asks the one `pick` names for each source. */
function routedLocator(pick: (source: Resource['source']) => SpanLocator): SpanLocator {
  return {
    locate: (source, pointer, options) => pick(source).locate(source, pointer, options),
    locateAll: (source, places) => {
      const locator = pick(source);
      return locator.locateAll
        ? locator.locateAll(source, places)
        : places.map((p) => locator.locate(source, p.pointer, { key: p.key ?? false }));
    },
  };
}

/**
 * `checked`, and for the objects before the change (read at their ref: findings on a deleted
 * object sit in the file it was deleted from) their own locator.
 */
function withPrevious(checked: SpanLocator, previous: PreviousObjects | undefined): SpanLocator {
  if (previous === undefined || previous.resources.length === 0) return checked;
  return routedLocator((source) => (source.ref === previous.ref ? previous.locator : checked));
}

function settingsFrom(
  config: ShipshapeConfig,
  podSecurity: Readonly<Record<string, unknown>> | undefined,
): Record<string, RuleSetting> {
  const out: Record<string, { severity?: Severity | 'off'; options?: Record<string, unknown> }> = {};
  if (podSecurity !== undefined) out['pss/namespace-labels'] = { options: { ...podSecurity } };
  for (const [id, options] of Object.entries(config.rules ?? {}))
    out[id] = { options: { ...out[id]?.options, ...options } };
  // `severity: {rule: off}` must stop the rule from running at all, not just hide its findings; and
  // a rule's own severity must reach the engine too, or a pack's `off` (`bp/*: off`) would stop
  // the rule the config turns back on (`bp/replicas: error`). The report applies them again.
  for (const [id, severity] of Object.entries(config.severity ?? {})) out[id] = { ...out[id], severity };
  return out;
}
