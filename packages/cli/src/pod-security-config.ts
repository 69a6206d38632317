import type { Diagnostic, SpanLocator } from '@shipshape/core';
import { KUBERNETES_YAML_SCHEMA, type ManifestFile, splitDocuments } from '@shipshape/manifests';
import { podSecurityOptions } from '@shipshape/policy';
import { load } from 'js-yaml';

/** A Pod Security Admission configuration found among the `--policy` files. */
export interface FoundPodSecurityConfig {
  /** Where it was read: the file, as the check shows it. */
  readonly path: string;
  /** Options of `pss/namespace-labels` it sets. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * The Pod Security Admission configurations (a PodSecurityConfiguration, or an
 * AdmissionConfiguration with its PodSecurity plugin) among the `--policy` manifest files. The
 * manifest reader sets such component configurations aside (`manifest/component-config`); each one
 * read here replaces that notice with what it sets and the problems found in it, placed in the file.
 */
export function readPodSecurityConfigs(
  files: readonly ManifestFile[],
  diagnostics: readonly Diagnostic[],
  locator: SpanLocator,
): { readonly found: FoundPodSecurityConfig[]; readonly diagnostics: Diagnostic[] } {
  const found: FoundPodSecurityConfig[] = [];
  const out: Diagnostic[] = [];
  const texts = new Map<
    string,
    { readonly text: string; readonly ranges: ReturnType<typeof splitDocuments> }
  >();
  for (const d of diagnostics) {
    const span = d.span;
    const file =
      d.code === 'manifest/component-config' && span ? files.find((f) => f.path === span.path) : undefined;
    if (!file || !span) {
      out.push(d);
      continue;
    }
    let read = texts.get(file.path);
    if (read === undefined) {
      const text = typeof file.content === 'string' ? file.content : new TextDecoder().decode(file.content);
      read = { text, ranges: splitDocuments(text) };
      texts.set(file.path, read);
    }
    const document = read.ranges.findIndex((r) => r.start <= span.start.offset && span.start.offset < r.end);
    const range = read.ranges[document];
    let object: unknown;
    try {
      object = range
        ? load(read.text.slice(range.start, range.end), { schema: KUBERNETES_YAML_SCHEMA })
        : undefined;
    } catch {
      object = undefined; // The reader parsed it already; a document it could read, js-yaml reads too.
    }
    const config = podSecurityOptions(object);
    if (config === undefined) {
      out.push(d);
      continue;
    }
    found.push({ path: file.path, options: config.options });
    for (const p of config.problems) {
      const at = locator.locate({ path: file.path, document, span }, p.path);
      out.push({
        code:
          p.severity === 'error'
            ? 'policy/invalid-pod-security-config'
            : 'policy/pod-security-config-not-applied',
        severity: p.severity,
        message: p.message,
        path: p.path,
        ...(at ? { span: at } : { span }),
      });
    }
  }
  return { found, diagnostics: out };
}
