import type { Environment } from '@marcbachmann/cel-js';

/**
 * What `authorizer` answers offline. There is no API server to ask, and the synthetic request's
 * user is empty (no name, no groups), so every check is a decision that is not allowed: a policy
 * that exempts privileged users (`authorizer....check('use').allowed() || …`) is judged as it
 * would be for an unprivileged user, which is the case worth checking in a repository.
 */
export const OFFLINE_DECISION_REASON =
  'evaluated offline: the request has no user, who is authorized for nothing';

/** `authorizer` and `authorizer.serviceAccount(…)`. */
export class Authorizer {
  /** `authorizer.requestResource`: the resource of the request, for checks on it. */
  readonly requestResource = new ResourceCheck();
}

/** `authorizer.path(…)`. */
export class PathCheck {}

/**
 * `authorizer.group(…)`, then `.resource(…)`, `.subresource(…)`, `.namespace(…)`, `.name(…)`,
 * `.fieldSelector(…)`, `.labelSelector(…)`.
 */
export class GroupCheck {}

export class ResourceCheck {}

/** The answer of `.check(verb)`. */
export class Decision {}

/**
 * The Kubernetes authorizer library with an offline answer: every `check()` gives a decision whose
 * `allowed()` is false, `errored()` false, `error()` empty and `reason()` {@link OFFLINE_DECISION_REASON}.
 */
export function registerAuthorizerLibrary(env: Environment): void {
  env.registerType('ResourceCheck', ResourceCheck);
  env.registerType('Authorizer', { ctor: Authorizer, fields: { requestResource: 'ResourceCheck' } });
  env.registerType('PathCheck', PathCheck);
  env.registerType('GroupCheck', GroupCheck);
  env.registerType('Decision', Decision);
  const resource = new ResourceCheck();
  const decision = new Decision();
  env.registerFunction('Authorizer.serviceAccount(string, string): Authorizer', () => new Authorizer());
  env.registerFunction('Authorizer.path(string): PathCheck', () => new PathCheck());
  env.registerFunction('Authorizer.group(string): GroupCheck', () => new GroupCheck());
  env.registerFunction('GroupCheck.resource(string): ResourceCheck', () => resource);
  // fieldSelector and labelSelector are the AuthzSelectors library (from 1.32 in new expressions).
  for (const step of ['subresource', 'namespace', 'name', 'fieldSelector', 'labelSelector']) {
    env.registerFunction(`ResourceCheck.${step}(string): ResourceCheck`, () => resource);
  }
  env.registerFunction('ResourceCheck.check(string): Decision', () => decision);
  env.registerFunction('PathCheck.check(string): Decision', () => decision);
  env.registerFunction('Decision.allowed(): bool', () => false);
  env.registerFunction('Decision.errored(): bool', () => false);
  env.registerFunction('Decision.error(): string', () => '');
  env.registerFunction('Decision.reason(): string', () => OFFLINE_DECISION_REASON);
}
