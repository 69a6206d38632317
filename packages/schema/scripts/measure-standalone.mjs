#!/usr/bin/env node
// Measures the alternative the schema package did not take: ajv "standalone" validators generated
// at build time. For the built-in kinds of one bundle it prints the generated code size, the time to
// generate it, the time to load it, and the validation speed, next to the chosen approach (walking
// the schema, and compiling at run time). Run after `pnpm build`: node packages/schema/scripts/measure-standalone.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { interpretSchema, loadKubernetesSchemas } from '../dist/index.js';
import { prepareDefinitions } from '../dist/prepare-schema.js';

const version = process.argv[2] ?? '1.35';
const bundle = await loadKubernetesSchemas(version);
const definitions = prepareDefinitions(bundle.definitions, { strict: true });
const kinds = Object.entries(bundle.kinds).filter(([gvk]) => !gvk.endsWith('List'));

let t = performance.now();
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  inlineRefs: false,
  logger: false,
  validateSchema: false,
  code: { source: true, esm: true },
});
// Standalone code cannot carry format functions without a module to import them from; the
// measurement declares them as always valid (speed is what is measured here, not verdicts).
for (const name of ['int32', 'int64', 'double', 'float', 'quantity', 'date-time', 'duration', 'byte'])
  ajv.addFormat(name, true);
ajv.addSchema({ $id: 'k8s', definitions });
const exportName = (gvk) => gvk.replace(/[^A-Za-z0-9]/g, '_');
const refs = Object.fromEntries(kinds.map(([gvk, def]) => [exportName(gvk), `k8s#/definitions/${def}`]));
for (const ref of Object.values(refs)) {
  if (!ajv.getSchema(ref)) ajv.compile({ $ref: ref });
}
const compileAll = performance.now() - t;
t = performance.now();
let code = '';
try {
  code = standaloneCode(ajv, refs);
} catch (error) {
  console.log(`standalone generation failed: ${error.message}`);
}
const generate = performance.now() - t;
const dir = mkdtempSync(join(tmpdir(), 'shipshape-standalone-'));
const file = join(dir, 'validators.mjs');
writeFileSync(file, code);
t = performance.now();
let loaded;
try {
  loaded = await import(pathToFileURL(file).href);
} catch (error) {
  console.log(`loading the standalone module failed: ${error.message.split('\n')[0]}`);
}
const load = performance.now() - t;
rmSync(dir, { recursive: true, force: true });

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
      },
    },
  },
};
const N = 20000;
const time = (fn) => {
  for (let i = 0; i < 200; i++) fn();
  const s = performance.now();
  for (let i = 0; i < N; i++) fn();
  return ((performance.now() - s) * 1000) / N;
};
// One root schema object, as the validator keeps one per kind (the walker builds its checks once per schema object).
const walkRoot = { $ref: `#/definitions/${bundle.kinds['apps/v1/Deployment']}` };
const walkUs = time(() => interpretSchema(walkRoot, deployment, definitions));
const compiled = ajv.getSchema(refs[exportName('apps/v1/Deployment')]);
const compiledUs = time(() => compiled(deployment));
const standalone = loaded?.[exportName('apps/v1/Deployment')];
const standaloneUs = standalone ? time(() => standalone(deployment)) : Number.NaN;
console.log(`Kubernetes ${version}, ${kinds.length} built-in kinds, strict:`);
console.log(`  compile every kind at run time (ajv): ${compileAll.toFixed(0)} ms`);
console.log(
  `  standalone code for every kind: ${(code.length / 1024 / 1024).toFixed(1)} MiB, generated in ${generate.toFixed(0)} ms, loaded in ${load.toFixed(0)} ms`,
);
console.log(
  `  validate one Deployment: walk ${walkUs.toFixed(1)} µs | compiled ${compiledUs.toFixed(1)} µs | standalone ${standaloneUs.toFixed(1)} µs`,
);
