import type { Environment } from '@marcbachmann/cel-js';
import type { CostMeter } from './cel-cost.js';
import { QUOTED_ESCAPES, registerNamespace } from './cel-values.js';

/**
 * What the API server's cel-go strings extension (version 2) has that cel-js lacks:
 * `strings.quote`. (The base64 and math extensions are not in the API server's environment, so
 * an expression using them is refused there, and here.) Each call is charged to `meter`.
 */
export function registerExtensionLibrary(env: Environment, meter: CostMeter): void {
  registerNamespace(env, 'StringsNamespace', 'strings');
  env.registerFunction('StringsNamespace.quote(string): string', (_: unknown, text: string) => {
    meter.chargeSize(text);
    let out = '"';
    for (const c of text) out += QUOTED_ESCAPES[c] ?? c;
    return `${out}"`;
  });
}
