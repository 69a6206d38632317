/// <reference types="node" />
// Writes docs/rules/: one page per built-in rule and an index, generated from the rules' own docs.
// Run with `pnpm --filter @shipshape/policy run docs`; test/rule-docs.test.ts fails when they are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { ruleCatalogue } from '../src/catalogue.js';
import { renderRuleIndex, renderRulePage, rulePageName } from '../src/rule-docs.js';

const dir = new URL('../../../docs/rules/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith('.md')) rmSync(new URL(name, dir));
const groups = ruleCatalogue();
for (const group of groups) {
  for (const rule of group.rules) {
    writeFileSync(new URL(rulePageName(rule.id), dir), renderRulePage(rule, group.packs[rule.id] ?? []));
  }
}
writeFileSync(new URL('README.md', dir), renderRuleIndex(groups));
process.stdout.write(`wrote ${groups.reduce((n, g) => n + g.rules.length, 0)} rule pages to docs/rules/\n`);
