/**
 * A YAML example written indented inside the code, with the common indentation and the first
 * blank line removed, so docs show it as a user would write it.
 */
export function yaml(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  const text = String.raw({ raw: strings.raw }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return `${lines
    .map((l) => l.slice(cut))
    .join('\n')
    .trimEnd()}\n`;
}
