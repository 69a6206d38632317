import { readdirSync, readFileSync } from 'node:fs';
import { assessHealth } from '@shipshape/health';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../shared/conformance/gitops-engine/health/', import.meta.url);

interface Expectation {
  readonly status: string | null;
  readonly statusAsserted: boolean;
  readonly test: string;
  readonly messageDerivedNotAsserted?: string;
  readonly note?: string;
}

const expected = JSON.parse(readFileSync(new URL('expected.json', ROOT), 'utf8')) as Readonly<
  Record<string, Expectation>
>;
const fixtures = readdirSync(ROOT)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

/** Fixtures not run, each with the reason. None: every upstream fixture must agree. */
const SKIPPED: Readonly<Record<string, string>> = {};

function readFixture(name: string): unknown {
  return load(readFileSync(new URL(name, ROOT), 'utf8'));
}

describe('gitops-engine health fixtures', () => {
  let passed = 0;
  const run = fixtures.filter((name) => !(name in SKIPPED));

  afterAll(() => {
    console.log(`health conformance: ${passed}/${run.length} passed`);
    for (const [name, reason] of Object.entries(SKIPPED)) console.log(`  skipped ${name}: ${reason}`);
  });

  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(fixtures).toHaveLength(20);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
  });

  it.each(run)('%s has the asserted status', (name) => {
    const want = expected[name];
    expect(want?.statusAsserted).toBe(true);
    const got = assessHealth(readFixture(name));
    expect(got?.status ?? null).toBe(want?.status);
    passed += 1;
  });

  // Messages are derived from the rules, not asserted upstream (INDEX.md): best-effort, but ours
  // agree with every one of them, so a change in wording shows up here.
  it.each(run.filter((name) => expected[name]?.messageDerivedNotAsserted !== undefined))(
    '%s has the derived message',
    (name) => {
      const got = assessHealth(readFixture(name));
      expect(got?.message ?? '').toBe(expected[name]?.messageDerivedNotAsserted);
    },
  );
});
