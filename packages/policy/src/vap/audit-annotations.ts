import type { FieldReader } from './problems.js';

/**
 * An auditAnnotation of a policy: the API server publishes its `valueExpression`'s string as the
 * audit annotation `<policy name>/<key>` of each request the policy admits or denies.
 */
export interface AuditAnnotation {
  readonly index: number;
  readonly key: string;
  /** The `valueExpression`. */
  readonly expression: string;
  /** JSON Pointer of the `valueExpression` field. */
  readonly path: string;
}

// The API server's limits (kubernetes `pkg/apis/admissionregistration/validation`).
const MAX_ANNOTATIONS = 20;
const MAX_EXPRESSION_BYTES = 5 * 1024;
const MAX_NAME_PART = 63;

/**
 * Read `spec.auditAnnotations` as the API server checks them when the policy is written: at most
 * 20, each with a key that, after `<policy name>/`, makes a qualified name, keys unique, and a
 * `valueExpression` of at most 5 KiB. An entry without a key or a valueExpression, or with a
 * valueExpression too long to compile, is left out; one with a bad or repeated key still runs.
 */
export function readAuditAnnotations(
  reader: FieldReader,
  spec: Readonly<Record<string, unknown>>,
  policyName: string,
): AuditAnnotation[] {
  const items = reader.objects(spec, 'auditAnnotations', '/spec');
  if (items.length > MAX_ANNOTATIONS) {
    reader.problem(
      '/spec/auditAnnotations',
      `a policy may have at most ${MAX_ANNOTATIONS} auditAnnotations, not ${items.length}`,
    );
  }
  const out: AuditAnnotation[] = [];
  const seen = new Set<string>();
  for (const [item, index] of items) {
    const path = `/spec/auditAnnotations/${index}`;
    const key = reader.string(item, 'key', path);
    const expression = reader.string(item, 'valueExpression', path);
    if (!key) reader.problem(path, `auditAnnotations[${index}] needs a key`);
    else if (seen.has(key))
      reader.problem(`${path}/key`, `auditAnnotations has two keys ${JSON.stringify(key)}`);
    else {
      const why = keyProblem(policyName, key);
      if (why) reader.problem(`${path}/key`, why);
    }
    if (key) seen.add(key);
    const trimmed = expression?.trim() ?? '';
    if (trimmed === '') {
      reader.problem(path, `auditAnnotations[${index}] needs a valueExpression`);
      continue;
    }
    const bytes = new TextEncoder().encode(trimmed).length;
    if (bytes > MAX_EXPRESSION_BYTES) {
      reader.problem(
        `${path}/valueExpression`,
        `valueExpression must not exceed ${MAX_EXPRESSION_BYTES} bytes (it has ${bytes})`,
      );
      continue;
    }
    if (key) out.push({ index, key, expression: trimmed, path: `${path}/valueExpression` });
  }
  return out;
}

/**
 * Why `<policy name>/<key>` is not a qualified name, as the API server checks the key: the name a
 * DNS subdomain, the key at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a
 * letter or digit (so no `/`).
 */
function keyProblem(policyName: string, key: string): string | undefined {
  const quoted = JSON.stringify(key);
  if (policyName === '') return `the key ${quoted} needs the policy to have a metadata.name`;
  if (
    policyName.length > 253 ||
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(policyName)
  )
    return `the key ${quoted} is prefixed with the policy name ${JSON.stringify(policyName)}, which is not a DNS subdomain`;
  if (key.length > MAX_NAME_PART) return `the key ${quoted} is longer than ${MAX_NAME_PART} characters`;
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
    return `the key ${quoted} must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}
