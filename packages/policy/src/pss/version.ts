/**
 * The minor of the policy version that matches a Kubernetes version or a
 * `pod-security.kubernetes.io/enforce-version` value: `1.31`, `v1.31`, `1.31.4`, `1.31.4-eks.1` → 31; `latest` →
 * `newest`. A minor above `newest` resolves to `newest`, as upstream clamps it (the checks would
 * run the same variants either way; the clamp only keeps reported versions real).
 * `undefined` when the text is none of these.
 */
export function policyMinorOf(version: string, newest: number): number | undefined {
  const text = version.trim();
  if (text === 'latest') return newest;
  const match = /^v?1\.(0|[1-9]\d{0,3})(?:\.\d+(?:[-+][0-9A-Za-z.-]+)?)?$/.exec(text);
  if (!match) return undefined;
  return Math.min(Number(match[1]), newest);
}
