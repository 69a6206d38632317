import * as path from 'node:path';
import type { Diagnostic, Resource, SpanLocator } from '@shipshape/core';
import { isManifestPath, ManifestCollector } from '@shipshape/manifests';
import { crdRuleEvaluators } from '@shipshape/policy';
import {
  BUNDLED_KUBERNETES_VERSIONS,
  compareVersions,
  createSchemaValidator,
  loadKubernetesSchemas,
  resolveKubernetesVersion,
  type SchemaBundle,
  type SchemaValidator,
} from '@shipshape/schema';
import { ShipshapeError } from './errors.js';
import { openTree, skippedDiagnostic, wrapRepo } from './trees.js';

/**
 * Schema validation as files stream in: built-in kinds are validated while their file's objects are
 * fresh (then released), custom resources and CRDs are kept until every CRD of the repository is
 * known, and are validated by {@link SchemaStage.finish}.
 */
export class SchemaStage {
  readonly #bundle: SchemaBundle;
  readonly #strict: boolean;
  readonly #locator: SpanLocator;
  readonly #builtIn: SchemaValidator;
  readonly #cel: ReturnType<typeof crdRuleEvaluators>;
  readonly #crds: Resource[];
  readonly #deferred: Resource[] = [];
  readonly #diagnostics: Diagnostic[] = [];
  /**
   * For a version between bundles (1.30 with 1.29 and 1.33 bundled): the newer bundle, for kinds the
   * older one does not serve. An API that went GA in between (ValidatingAdmissionPolicy v1 in 1.30)
   * is validated with the newer schema instead of being an unknown kind.
   */
  readonly #newer: { readonly bundle: SchemaBundle; validator?: SchemaValidator } | undefined;
  /** `apiVersion/kind` validated with the newer bundle, for the note at the end. */
  readonly #fromNewer = new Set<string>();
  readonly #requested: string;
  readonly #previous: readonly Resource[] | undefined;

  private constructor(
    bundle: SchemaBundle,
    strict: boolean,
    locator: SpanLocator,
    extraCrds: readonly Resource[],
    newer: SchemaBundle | undefined,
    requested: string,
    previous: readonly Resource[] | undefined,
  ) {
    this.#bundle = bundle;
    this.#previous = previous;
    this.#strict = strict;
    this.#locator = locator;
    this.#crds = [...extraCrds];
    // Deprecated and removed APIs are judged against the version asked for, not the bundle used.
    // CRD rules run in the Kubernetes CEL environment the admission policies use; CRDs are built-in
    // kinds, whose rules are compiled when they are validated.
    this.#cel = crdRuleEvaluators({ kubernetesVersion: requested });
    this.#builtIn = createSchemaValidator({
      bundle,
      strict,
      locator,
      kubernetesVersion: requested,
      cel: this.#cel,
      // A CustomResourceDefinition the previous objects hold is validated as an update of it.
      ...(previous === undefined ? {} : { previous }),
    });
    this.#newer = newer ? { bundle: newer } : undefined;
    this.#requested = requested;
  }

  /** The schemas of the built-in kinds the stage validates with (admission policies type-check against them). */
  get bundle(): SchemaBundle {
    return this.#bundle;
  }

  /** Load the schemas of the target version; a version between bundles notes the one used. */
  static async open(
    options: {
      readonly version: string | undefined;
      readonly strict: boolean;
      /** The objects before the change: custom resources among them are validated as updates. */
      readonly previous?: readonly Resource[] | undefined;
    },
    locator: SpanLocator,
    extraCrds: readonly Resource[],
  ): Promise<SchemaStage> {
    let resolved: ReturnType<typeof resolveKubernetesVersion>;
    try {
      resolved = resolveKubernetesVersion(options.version);
    } catch (error) {
      throw new ShipshapeError('usage', `--kubernetes-version: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // Between two bundles, the newer one serves the kinds the older lacks (see #newer).
    const newer = BUNDLED_KUBERNETES_VERSIONS.find((v) => compareVersions(v, resolved.requested) > 0);
    const stage = new SchemaStage(
      await loadKubernetesSchemas(resolved.version),
      options.strict,
      locator,
      extraCrds,
      resolved.version !== resolved.requested &&
        newer !== undefined &&
        compareVersions(resolved.requested, resolved.version) > 0
        ? await loadKubernetesSchemas(newer)
        : undefined,
      resolved.requested,
      options.previous,
    );
    if (resolved.note) {
      stage.#diagnostics.push({
        code: 'schema/version-fallback',
        severity: 'info',
        message: resolved.note,
        data: { requested: resolved.requested, used: resolved.version },
      });
    }
    return stage;
  }

  /**
   * Validate the built-in resources of a batch of files now; keep the rest for {@link finish}. CRDs
   * are copied with their objects (their schemas are needed); custom resources are kept by
   * reference: most never need their object again (no CRD: only their identity is reported), and
   * the others read it back from the file.
   */
  take(resources: readonly Resource[]): void {
    for (const r of resources) {
      const { apiVersion, kind, group } = r.id;
      const isCrd = kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io';
      // A copy holds the object itself: the collector releases the original's.
      if (isCrd) this.#crds.push({ id: r.id, object: r.object, source: r.source });
      const key = `${apiVersion}/${kind}`;
      if (this.#bundle.kinds[key] === undefined) {
        const newer = this.#newer;
        if (newer !== undefined && newer.bundle.kinds[key] !== undefined) {
          newer.validator ??= createSchemaValidator({
            bundle: newer.bundle,
            strict: this.#strict,
            locator: this.#locator,
            kubernetesVersion: this.#requested,
            cel: this.#cel,
            ...(this.#previous === undefined ? {} : { previous: this.#previous }),
          });
          this.#fromNewer.add(key);
          for (const d of newer.validator.validate(r)) this.#diagnostics.push(d);
          continue;
        }
        this.#deferred.push(r);
        continue;
      }
      for (const d of this.#builtIn.validate(r)) this.#diagnostics.push(d);
    }
  }

  /** Validate what waited for the CRDs, and return every schema diagnostic. */
  finish(): Diagnostic[] {
    const validator = createSchemaValidator({
      bundle: this.#bundle,
      strict: this.#strict,
      locator: this.#locator,
      crds: this.#crds,
      kubernetesVersion: this.#requested,
      cel: this.#cel,
      // Transition rules (oldSelf) run on the custom resources the previous objects hold, and their
      // updates are ratcheted.
      ...(this.#previous === undefined ? {} : { previous: this.#previous }),
    });
    for (const r of this.#deferred) for (const d of validator.validate(r)) this.#diagnostics.push(d);
    if (this.#fromNewer.size > 0 && this.#newer !== undefined) {
      const kinds = [...this.#fromNewer].sort();
      const used = this.#newer.bundle.version;
      this.#diagnostics.push({
        code: 'schema/version-fallback',
        severity: 'info',
        message: `Kubernetes ${this.#bundle.version} does not serve ${kinds.join(', ')}; validated with the schemas of ${used}, the nearest newer bundle (check that ${this.#requested} serves ${kinds.length === 1 ? 'it' : 'them'})`,
        data: { requested: this.#requested, used, kinds },
      });
    }
    return this.#diagnostics;
  }
}

/**
 * CustomResourceDefinitions from the extra folders named under `crds` in the config, with what
 * their files could not give: a file that does not parse, or a link out of the folder, is reported
 * (a CRD dropped quietly would leave its resources unvalidated). Other documents are skipped.
 */
export async function readCrdFolders(
  folders: readonly string[],
  configDir: string,
  cwd: string,
  ref: string | undefined,
): Promise<{ resources: Resource[]; diagnostics: Diagnostic[] }> {
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const folder of folders) {
    const arg = path.relative(cwd, path.resolve(configDir, folder)) || '.';
    const opened = await openTree(arg, cwd, ref);
    const listing = await wrapRepo(() =>
      opened.tree.list(opened.prefix === '' ? {} : { prefix: opened.prefix }),
    );
    for (const skipped of listing.skipped) diagnostics.push(skippedDiagnostic(skipped, opened));
    const collector = new ManifestCollector();
    for (const entry of listing.files) {
      if (!isManifestPath(entry.path)) continue;
      collector.add({
        path: opened.display(entry.path),
        content: await wrapRepo(() => opened.tree.read(entry.path)),
      });
    }
    const set = collector.finish();
    // Files that do not parse are reported; documents that are not Kubernetes objects (a JSON
    // schema kept beside the CRDs) are not CRDs, and are left alone as before.
    for (const d of set.diagnostics) if (!d.code.startsWith('manifest/')) diagnostics.push(d);
    for (const r of set.resources) if (r.id.kind === 'CustomResourceDefinition') resources.push(r);
  }
  return { resources, diagnostics };
}
