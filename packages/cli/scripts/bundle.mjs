// Bundles the `shipshape` bin (dist/cli.js, as tsc built it) with the workspace
// packages and their dependencies into one module, dist/shipshape.js, which the
// package's `bin` names. A process that loads one file instead of some 330 modules starts about
// 150 ms sooner (docs/decisions.md, "The CLI"); the library entry (`dist/index.js`) stays unbundled.
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('../dist/', import.meta.url));

await build({
  entryPoints: [`${cli}cli.js`],
  outfile: `${cli}shipshape.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Loaded only for Git refs and history, and large: it stays a package the bundle imports.
  external: ['isomorphic-git'],
  // Bundled CommonJS dependencies (ajv) call `require` for Node's built-in modules.
  banner: {
    js: "import { createRequire as shipshapeRequire } from 'node:module';\nconst require = shipshapeRequire(import.meta.url);",
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
