// Polaris writes these as Go RE2 patterns with a leading `(?i)`, which JavaScript's RegExp rejects;
// the `i` flag means the same. Names are matched whole where Polaris anchors them, and anywhere
// otherwise (`db_password`, `API_TOKEN`).
// Polaris' eight patterns, as one alternation: one test per name instead of eight.
const SENSITIVE_NAME =
  /^(?:AWS_SECRET_ACCESS_KEY|GOOGLE_APPLICATION_CREDENTIALS|AZURE_.+KEY|OCI_CLI_KEY_CONTENT)$|password|token|bearer|secret/i;

// `-----BEGIN PRIVATE KEY-----`, `---BEGIN OPENSSH PRIVATE KEY---`, `-BEGIN RSA PRIVATE KEY-`, …
// As in RE2 without the `s` flag, `.` stops at a line break: the header is one line.
const PRIVATE_KEY = /-BEGIN\s+.*PRIVATE KEY-/i;

/**
 * Whether an environment variable or ConfigMap key name looks like a credential (Polaris'
 * `sensitiveContainerEnvVar` / `sensitiveConfigmapContent` list).
 *
 * @example
 * ```ts
 * isSensitiveName('DB_PASSWORD'); // true
 * isSensitiveName('LOG_LEVEL'); // false
 * ```
 */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** Whether a value holds a PEM private key header. */
export function containsPrivateKey(value: unknown): boolean {
  // The shortest header, `-BEGIN PRIVATE KEY-`, is 19 characters and holds a `-`: most values are
  // ruled out without running the case-insensitive pattern over them.
  return typeof value === 'string' && value.length >= 19 && value.includes('-') && PRIVATE_KEY.test(value);
}
