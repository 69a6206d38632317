import type { Rule } from './rule.js';

/** The file name of a rule's page under `docs/rules/`: `pss/privileged` → `pss-privileged.md`. */
export function rulePageName(id: string): string {
  return `${id.replaceAll('/', '-').replaceAll(/[^A-Za-z0-9_.-]/g, '_')}.md`;
}

/**
 * A rule's documentation page in Markdown: what it requires, why, its options, and its examples
 * (the same examples the test suite runs, so the page cannot drift from the behaviour). `pack`
 * names the pack (or packs) the rule belongs to.
 *
 * @example
 * ```ts
 * renderRulePage(rule, 'pss-restricted').split('\n')[0]; // '# pss/runAsNonRoot'
 * ```
 */
export function renderRulePage(rule: Rule, pack: string | readonly string[] = []): string {
  const packs = typeof pack === 'string' ? [pack] : pack;
  const lines = [
    `# ${rule.id}`,
    '',
    `${rule.docs.summary}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| Category | ${rule.category} |`,
    `| Default severity | ${rule.severity} |`,
    ...(packs.length > 0 ? [`| Packs | ${packs.map((p) => `\`${p}\``).join(', ')} |`] : []),
    ...(rule.docs.upstream && rule.docs.upstream.length > 0
      ? [`| Upstream | ${rule.docs.upstream.join('; ')} |`]
      : []),
    '',
    rule.docs.details.trim(),
    '',
  ];
  const options = Object.entries(rule.options ?? {});
  if (options.length > 0) {
    lines.push('## Options', '', '| option | default | description |', '| --- | --- | --- |');
    for (const [name, option] of options) {
      lines.push(`| \`${name}\` | \`${JSON.stringify(option.default)}\` | ${option.description} |`);
    }
    lines.push('', 'Set them in `shipshape.yaml`:', '', '```yaml', 'rules:', `  ${rule.id}:`);
    for (const [name, option] of options) lines.push(`    ${name}: ${JSON.stringify(option.default)}`);
    lines.push('```', '');
  }
  if (rule.docs.examples.length > 0) {
    lines.push('## Examples', '');
    for (const example of rule.docs.examples) {
      const verdict =
        example.reports.length === 0
          ? 'passes'
          : `reported at ${example.reports.map((p) => `\`${p === '' ? '(the resource)' : p}\``).join(', ')}`;
      lines.push(`### ${example.title} — ${verdict}`, '', '```yaml', example.yaml.trimEnd(), '```', '');
    }
  }
  lines.push(
    '## Exceptions',
    '',
    'On the resource (one line per exception, the reason is required):',
    '',
    '```yaml',
    'metadata:',
    '  annotations:',
    `    shipshape.dev/exceptions: "${rule.id}: <why this is acceptable>"`,
    '```',
    '',
    'Or in `shipshape.yaml`:',
    '',
    '```yaml',
    'exceptions:',
    `  - rules: [${rule.id}]`,
    '    namespaces: [kube-system]',
    '    reason: <why this is acceptable>',
    '```',
    '',
  );
  return `${lines.join('\n')}`;
}

/** The index page of `docs/rules/`: every rule by pack, one line each. */
export function renderRuleIndex(
  groups: readonly { readonly title: string; readonly rules: readonly Rule[] }[],
): string {
  const lines = [
    '# Rules',
    '',
    'Every policy rule `shipshape check --policy …` can report, by pack. Each page says what the rule',
    'requires, why, its options and examples; the examples are run by the test suite',
    '(`packages/policy/test/rule-docs.test.ts`), and these pages are generated from the rules',
    '(`pnpm --filter @shipshape/policy run docs`), so neither can drift from the code.',
    '',
  ];
  for (const group of groups) {
    lines.push(`## ${group.title}`, '', '| rule | severity | requires |', '| --- | --- | --- |');
    for (const rule of group.rules) {
      lines.push(`| [\`${rule.id}\`](${rulePageName(rule.id)}) | ${rule.severity} | ${rule.docs.summary} |`);
    }
    lines.push('');
  }
  lines.push(...upstreamIndex(groups.flatMap((g) => g.rules)));
  return lines.join('\n');
}

/**
 * Checks of other tools, run by default there, that no rule stands for: another stage of shipshape
 * reports them, or they are left out on purpose (docs/decisions.md says why). The migration index
 * lists them beside the rules, so a user coming from the tool finds every check accounted for.
 */
export const UPSTREAM_NOT_RULES: Readonly<Record<string, string>> = {
  'kube-score/stable-version':
    'not a rule: schema validation reports deprecated and removed APIs (`api/deprecated`, `api/removed`) for `--kubernetes-version`',
  'kube-linter/no-extensions-v1beta': 'not a rule: schema validation reports removed APIs (`api/removed`)',
  'kyverno/check-deprecated-apis':
    'not a rule: schema validation reports deprecated and removed APIs (`api/deprecated`, `api/removed`)',
  'kube-score/label-values':
    'not a rule: schema validation reports label values the API server refuses (`schema/invalid-metadata`)',
  'kube-linter/schema-validation':
    'not a rule: `shipshape check` validates against the Kubernetes schemas by default',
  'kube-score/container-ephemeral-storage-request-and-limit':
    'left out: kube-score alone asks for it, and it would flag nearly every container',
  'kube-score/deployment-strategy': 'left out: `Recreate` is a deliberate choice for single-writer workloads',
  'kube-score/cronjob-has-deadline': 'left out: kube-score alone asks for `startingDeadlineSeconds`',
  'kube-linter/job-ttl-seconds-after-finished':
    'left out: a GitOps operator recreates a synced Job the cluster deleted after its TTL',
};

/**
 * For users coming from another tool: each upstream check (`docs.upstream`, `tool/check`) with the
 * rules that stand for it, and those of {@link UPSTREAM_NOT_RULES}, one table per tool, checks in
 * alphabetical order.
 */
function upstreamIndex(rules: readonly Rule[]): string[] {
  const byTool = new Map<string, Map<string, string[]>>();
  for (const rule of rules) {
    for (const ref of rule.docs.upstream ?? []) {
      const slash = ref.indexOf('/');
      // A link to a specification is not another tool's check.
      if (slash <= 0 || ref.includes('://')) continue;
      const tool = ref.slice(0, slash);
      const check = ref.slice(slash + 1);
      const checks = byTool.get(tool) ?? new Map<string, string[]>();
      byTool.set(tool, checks);
      const ids = checks.get(check) ?? [];
      if (!ids.includes(rule.id)) ids.push(rule.id);
      checks.set(check, ids);
    }
  }
  if (byTool.size === 0) return [];
  const lines = [
    '## Coming from another tool',
    '',
    'The checks of other tools each rule stands for (its page says where the semantics differ), and',
    'the checks of theirs no rule stands for, with the reason.',
    '',
  ];
  for (const tool of [...byTool.keys()].sort()) {
    lines.push(`### ${tool}`, '', '| check | rule |', '| --- | --- |');
    const checks = byTool.get(tool) as Map<string, string[]>;
    const elsewhere = Object.keys(UPSTREAM_NOT_RULES)
      .filter((ref) => ref.startsWith(`${tool}/`))
      .map((ref) => ref.slice(tool.length + 1))
      .filter((check) => !checks.has(check));
    for (const check of [...checks.keys(), ...elsewhere].sort()) {
      const ids = checks
        .get(check)
        ?.map((id) => `[\`${id}\`](${rulePageName(id)})`)
        .join(', ');
      lines.push(`| \`${check}\` | ${ids ?? UPSTREAM_NOT_RULES[`${tool}/${check}`]} |`);
    }
    lines.push('');
  }
  return lines;
}
