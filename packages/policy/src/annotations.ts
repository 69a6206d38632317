import type { Diagnostic, Resource } from '@shipshape/core';
import { isObject, isWorkload, podSpecOf, pointerToken } from './workloads.js';

/** The annotation that excepts a resource from rules, one `rule[, rule…]: reason` per line. */
export const EXCEPTIONS_ANNOTATION = 'shipshape.dev/exceptions';

/** The exceptions one resource declares, and what became of them. */
export interface AnnotationExceptions {
  /** The reason a finding of `ruleId` is excepted, if an entry names it (and marks it used). */
  match(ruleId: string): string | undefined;
  /**
   * Entries that excepted nothing, as `policy/unused-exception` diagnostics; `runs` tells whether a
   * pattern names a rule of the run, so that an entry for another kind of check (`schema/…`) says
   * that annotations except policy findings only.
   */
  unused(runs?: (pattern: string) => boolean): Diagnostic[];
  /** Entries that could not be read, as `policy/invalid-exception` diagnostics. */
  readonly problems: readonly Diagnostic[];
}

interface Entry {
  readonly patterns: readonly string[];
  readonly reason: string;
  used: boolean;
}

const POINTER = `/metadata/annotations/${pointerToken(EXCEPTIONS_ANNOTATION)}`;

/**
 * Read the `shipshape.dev/exceptions` annotation of a resource: each line names one or more rule
 * ids (or a pack's prefix such as `pss/*`), a colon and the reason, which is required.
 *
 * ```yaml
 * metadata:
 *   annotations:
 *     shipshape.dev/exceptions: |
 *       pss/privileged, pss/hostPathVolumes: the CNI agent manages host networking (SEC-142)
 *       bp/*: vendored chart, reviewed in SEC-150
 * ```
 */
export function readAnnotationExceptions(resource: Resource): AnnotationExceptions | undefined {
  const metadata = resource.object['metadata'];
  const annotations = isObject(metadata) ? metadata['annotations'] : undefined;
  const value = isObject(annotations) ? annotations[EXCEPTIONS_ANNOTATION] : undefined;
  const misplaced = templateAnnotation(resource);
  if (value === undefined && misplaced === undefined) return undefined;
  const problems: Diagnostic[] = [];
  if (misplaced !== undefined) {
    problems.push({
      ...invalid(
        `the ${EXCEPTIONS_ANNOTATION} annotation of the pod template is not read: move it to this ${resource.id.kind}'s own metadata.annotations`,
      ),
      path: misplaced,
    });
  }
  const entries: Entry[] = [];
  if (value === undefined) {
    // Only the misplaced one: nothing to read.
  } else if (typeof value !== 'string') {
    problems.push(
      invalid(`the ${EXCEPTIONS_ANNOTATION} annotation must be a string of \`rule: reason\` lines`),
    );
  } else {
    for (const raw of value.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const colon = line.indexOf(':');
      const patterns = (colon < 0 ? line : line.slice(0, colon))
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      const reason = colon < 0 ? '' : line.slice(colon + 1).trim();
      if (patterns.length === 0 || reason === '') {
        problems.push(
          invalid(
            `exception \`${line}\` has no ${patterns.length === 0 ? 'rule' : 'reason'}: write \`rule-id: why it is safe\``,
          ),
        );
        continue;
      }
      // One line in a manifest must not switch the whole gate off: name the rules, or a pack.
      if (patterns.includes('*')) {
        problems.push(
          invalid(
            `exception \`${line}\` names every rule (\`*\`): name the rules it is for, or a pack prefix such as \`bp/*\``,
          ),
        );
        continue;
      }
      entries.push({ patterns, reason, used: false });
    }
  }
  return {
    problems,
    match(ruleId) {
      // Every entry naming the code is used (none is stale); the most specific one gives the
      // reason: the code itself over a prefix, a longer prefix over a shorter one.
      let best: Entry | undefined;
      let bestRank = -1;
      for (const entry of entries) {
        let rank = -1;
        for (const p of entry.patterns)
          if (matchesRule(p, ruleId)) rank = Math.max(rank, specificity(p, ruleId));
        if (rank < 0) continue;
        entry.used = true;
        if (rank > bestRank) {
          best = entry;
          bestRank = rank;
        }
      }
      return best?.reason;
    },
    unused(runs) {
      const out: Diagnostic[] = [];
      for (const e of entries) {
        if (e.used) continue;
        const other = e.patterns.filter((p) => OTHER_CHECKS.has(namespaceOf(p)));
        // An entry naming rules that do not run here (a pack this check leaves out) cannot be
        // judged: it may be needed when they run.
        const unjudged = e.patterns.filter(
          (p) => !OTHER_CHECKS.has(namespaceOf(p)) && runs !== undefined && !runs(p),
        );
        if (other.length === 0 && unjudged.length > 0) continue;
        out.push({
          code: 'policy/unused-exception',
          severity: 'warning',
          message:
            other.length > 0
              ? `exception for ${e.patterns.join(', ')} names codes of other checks (${other.join(', ')}): annotations except policy findings only; except those in shipshape.yaml`
              : `exception for ${e.patterns.join(', ')} matches no finding on this resource; remove it`,
          path: POINTER,
          data: { rules: e.patterns, reason: e.reason },
        });
      }
      return out;
    },
  };
}

/**
 * Whether an exception pattern names a diagnostic code: the code itself (`pss/privileged`), a
 * prefix (`pss/*`, or `pss`: a rule that reports under codes of its own, as `vap` reports
 * `vap/<policy>`, is named by its id), or `*` for every code (the config file only; the annotation
 * refuses it).
 *
 * @example
 * ```ts
 * matchesRule('vap', 'vap/replica-limit'); // true
 * matchesRule('pss/*', 'pss/privileged'); // true
 * matchesRule('bp/image', 'bp/image-tag'); // false
 * ```
 */
export function matchesRule(pattern: string, ruleId: string): boolean {
  if (pattern === '*' || pattern === ruleId) return true;
  if (pattern.endsWith('/*')) return ruleId.startsWith(pattern.slice(0, -1));
  return ruleId.length > pattern.length && ruleId.startsWith(pattern) && ruleId[pattern.length] === '/';
}

/** Namespaces of shipshape's checks other than policies: an annotation cannot except their codes. */
const OTHER_CHECKS: ReadonlySet<string> = new Set([
  'yaml',
  'json',
  'manifest',
  'schema',
  'api',
  'file',
  'config',
  'kustomize',
  'check',
]);

/** `bp` for `bp/labels` and `bp/*`; a pattern without `/` is its own namespace. */
export function namespaceOf(pattern: string): string {
  const slash = pattern.indexOf('/');
  return slash < 0 ? pattern : pattern.slice(0, slash);
}

/** How closely a matching pattern names a code: the code itself ranks above any prefix. */
function specificity(pattern: string, ruleId: string): number {
  return pattern === ruleId ? Number.MAX_SAFE_INTEGER : pattern.length;
}

/**
 * The pointer of an exceptions annotation written on a workload's pod template, where it excepts
 * nothing (findings are about the workload): said, not silently ignored.
 */
function templateAnnotation(resource: Resource): string | undefined {
  if (resource.id.kind === 'Pod' || !isWorkload(resource)) return undefined;
  const pod = podSpecOf(resource);
  const annotations = pod?.metadata?.['annotations'];
  if (!isObject(annotations) || annotations[EXCEPTIONS_ANNOTATION] === undefined) return undefined;
  return `${pod?.metadataPointer}/annotations/${pointerToken(EXCEPTIONS_ANNOTATION)}`;
}

function invalid(message: string): Diagnostic {
  return { code: 'policy/invalid-exception', severity: 'error', message, path: POINTER };
}
