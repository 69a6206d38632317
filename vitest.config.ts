import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const packages = readdirSync(new URL('./packages/', import.meta.url));

export default defineConfig({
  resolve: { conditions: ['@shipshape/source'] },
  ssr: { resolve: { conditions: ['@shipshape/source'] } },
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: { name, root: `./packages/${name}`, include: ['test/**/*.test.ts'], testTimeout: 60_000 },
    })),
  },
});
