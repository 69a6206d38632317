import * as path from 'node:path';
import type { Diagnostic, Resource } from '@shipshape/core';
import { isManifestPath, ManifestCollector, type ManifestSet } from '@shipshape/manifests';
import { createSchemaValidator, loadKubernetesSchemas, resolveKubernetesVersion } from '@shipshape/schema';
import { ShipshapeError } from './errors.js';
import { openTree, wrapRepo } from './trees.js';

/** Validate every resource of a set against the target version's schemas and the CRDs known. */
export async function validateSchemas(
  set: ManifestSet,
  extraCrds: readonly Resource[],
  options: { readonly version: string | undefined; readonly strict: boolean },
): Promise<Diagnostic[]> {
  let resolved: ReturnType<typeof resolveKubernetesVersion>;
  try {
    resolved = resolveKubernetesVersion(options.version);
  } catch (error) {
    throw new ShipshapeError('usage', `--kubernetes-version: ${(error as Error).message}`, { cause: error });
  }
  const out: Diagnostic[] = [];
  if (resolved.note) {
    out.push({
      code: 'schema/version-fallback',
      severity: 'info',
      message: `Kubernetes ${resolved.note}`,
      data: { requested: resolved.requested, used: resolved.version },
    });
  }
  const bundle = await loadKubernetesSchemas(resolved.version);
  const validator = createSchemaValidator({
    bundle,
    strict: options.strict,
    locator: set.locator,
    crds: [...set.resources, ...extraCrds],
  });
  for (const resource of set.resources) out.push(...validator.validate(resource));
  return out;
}

/** CustomResourceDefinitions from the extra folders named under `crds` in the config. */
export async function readCrdFolders(
  folders: readonly string[],
  configDir: string,
  cwd: string,
  ref: string | undefined,
): Promise<Resource[]> {
  const out: Resource[] = [];
  for (const folder of folders) {
    const arg = path.relative(cwd, path.resolve(configDir, folder)) || '.';
    const opened = await openTree(arg, cwd, ref);
    const listing = await wrapRepo(() =>
      opened.tree.list(opened.prefix === '' ? {} : { prefix: opened.prefix }),
    );
    const collector = new ManifestCollector();
    for (const entry of listing.files) {
      if (!isManifestPath(entry.path)) continue;
      collector.add({
        path: opened.display(entry.path),
        content: await wrapRepo(() => opened.tree.read(entry.path)),
      });
    }
    for (const r of collector.finish().resources) if (r.id.kind === 'CustomResourceDefinition') out.push(r);
  }
  return out;
}
