// Polaris writes these as Go RE2 patterns with a leading `(?i)`, which JavaScript's RegExp rejects;
// the `i` flag means the same. Names are matched whole where Polaris anchors them, and anywhere
// otherwise (`db_password`, `API_TOKEN`).
const SENSITIVE_NAMES: readonly RegExp[] = [
  /^AWS_SECRET_ACCESS_KEY$/i,
  /^GOOGLE_APPLICATION_CREDENTIALS$/i,
  /^AZURE_.+KEY$/i,
  /^OCI_CLI_KEY_CONTENT$/i,
  /password/i,
  /token/i,
  /bearer/i,
  /secret/i,
];

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
  return SENSITIVE_NAMES.some((pattern) => pattern.test(name));
}

/** Whether a value holds a PEM private key header. */
export function containsPrivateKey(value: unknown): boolean {
  return typeof value === 'string' && PRIVATE_KEY.test(value);
}
