import type { Severity } from '@shipshape/core';

/** A diagnostic code of the policy engine itself, with its title and help. */
export interface PolicyCodeInfo {
  readonly code: string;
  readonly title: string;
  readonly help: string;
  readonly defaultSeverity: Severity;
}

/**
 * Codes the engine reports about exceptions and rules, and those about admission policies
 * themselves (rules report findings under their own ids).
 *
 * @example
 * ```ts
 * POLICY_CODES.map((c) => c.code); // ['policy/invalid-exception', 'policy/unused-exception', 'policy/rule-error', 'vap/invalid-policy', …]
 * ```
 */
export const POLICY_CODES: readonly PolicyCodeInfo[] = [
  {
    code: 'policy/invalid-exception',
    title: 'Exception annotation cannot be read',
    help: 'Each line of the `shipshape.dev/exceptions` annotation is `rule-id[, rule-id…]: reason`; the reason is required.',
    defaultSeverity: 'error',
  },
  {
    code: 'policy/unused-exception',
    title: 'Exception annotation matches nothing',
    help: 'An entry of `shipshape.dev/exceptions` names rules that report nothing on this resource; remove it so exceptions stay meaningful.',
    defaultSeverity: 'warning',
  },
  {
    code: 'policy/rule-error',
    title: 'A rule failed',
    help: 'A rule threw while checking; the check went on without it. For a custom rule, fix the rule; for a built-in one, report a bug.',
    defaultSeverity: 'error',
  },
  {
    code: 'policy/invalid-pod-security-config',
    title: 'Pod Security Admission configuration the API server refuses',
    help: 'A PodSecurityConfiguration (alone, or in the PodSecurity plugin of an AdmissionConfiguration) given with `--policy` holds a level that is not privileged, baseline or restricted, a version that is not `latest` or `v1.<minor>`, or exemptions that are not lists of names: the API server would not start. The value is left out and the admission default stands for it.',
    defaultSeverity: 'error',
  },
  {
    code: 'policy/pod-security-config-not-applied',
    title: 'Part of the Pod Security Admission configuration is not applied',
    help: 'User exemptions (a check has no requesting user), a PodSecurity configuration kept in another file (give that file with `--policy`), the other plugins of an AdmissionConfiguration, an AdmissionConfiguration without a PodSecurity plugin, or a field the admission does not read (a typo: the message names the field meant).',
    defaultSeverity: 'info',
  },
  {
    code: 'vap/invalid-policy',
    title: 'ValidatingAdmissionPolicy cannot be compiled',
    help: 'A CEL expression of the policy does not parse or type-check, a required field is missing, or a variable is used before it is defined. The API server would reject the policy; fix the expression named in the message.',
    defaultSeverity: 'error',
  },
  {
    code: 'vap/invalid-binding',
    title: 'ValidatingAdmissionPolicyBinding cannot be applied',
    help: 'The binding lacks `policyName` or `validationActions`, or the `paramRef` its policy needs (the policy has a `paramKind`), or is one the API server refuses (a `paramRef` without `parameterNotFoundAction`, an action listed twice).',
    defaultSeverity: 'error',
  },
  {
    code: 'vap/unknown-policy',
    title: 'Binding names a policy that is not there',
    help: 'No ValidatingAdmissionPolicy of that name is in the checked tree or in the `--policy` files; the binding does nothing.',
    defaultSeverity: 'warning',
  },
  {
    code: 'vap/param-not-found',
    title: 'paramRef matches no params',
    help: "The binding's `paramRef` selects no object of the policy's `paramKind`; with `parameterNotFoundAction: Deny` every matching request is rejected.",
    defaultSeverity: 'warning',
  },
  {
    code: 'vap/duplicate',
    title: 'Two policies or bindings share a name',
    help: 'Names of cluster-scoped admission objects must be unique; only one of them would exist in the cluster.',
    defaultSeverity: 'warning',
  },
  {
    code: 'vap/unsupported',
    title: 'ValidatingAdmissionPolicy uses CEL shipshape cannot evaluate',
    help: 'The expression is valid Kubernetes CEL, but uses syntax shipshape cannot evaluate offline yet (an optional entry in a list or map literal that its rewrite of [?x] and {?k: v} does not cover): it is not checked, so resources it would deny pass here.',
    defaultSeverity: 'warning',
  },
  {
    code: 'vap/type-warning',
    title: 'ValidatingAdmissionPolicy selects a field its kind does not have',
    help: "An expression reads a field of `object` that the schema of a kind the policy matches does not have (`object.spec.replicass`); the API server's type check warns about it in the policy's status. Such a test never sees a value: has() is always false and a selection fails. Fix the field's name.",
    defaultSeverity: 'warning',
  },
];
