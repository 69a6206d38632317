import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Library packages must run in a browser: no Node built-ins, no process, no console, no clock.
const purePackages = ['core', 'repo', 'manifests', 'report', 'schema', 'policy', 'diff', 'health'].map(
  (p) => `packages/${p}/src/**/*.ts`,
);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'docs/**',
      'examples/**',
      '**/fixtures/**',
      '**/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.ts', 'packages/cli/bench/*.ts', 'packages/policy/scripts/*.ts'],
          // The bench (11 files), the rule-docs script and the root configs are outside any tsconfig.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: purePackages,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'pure packages take I/O through parameters' }] },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'pure packages do not touch process' },
        { name: 'console', message: 'pure packages do not print' },
        { name: 'performance', message: 'pure packages read no clock' },
        { name: 'Buffer', message: 'use Uint8Array' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'pure packages read no clock',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'pure packages read no clock',
        },
      ],
    },
  },
  {
    // JSON.parse in tests yields `any`; asserting on it is the point of those tests.
    files: ['packages/*/test/**/*.ts', 'packages/cli/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['packages/*/scripts/**/*.mjs', 'packages/*/scripts/**/*.ts'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly' } },
  },
);
