import {
  type LabelSelector,
  SELECTOR_OPERATORS as OPERATORS,
  type SelectorRequirement,
} from '../label-selector.js';
import { type FieldReader, isRecord } from './problems.js';

/** Read a selector at `path` (`undefined` when absent: no constraint). */
export function readLabelSelector(
  value: unknown,
  path: string,
  reader: FieldReader,
): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    reader.problem(path, 'a label selector must be an object');
    return { matchLabels: {}, matchExpressions: [], invalid: true };
  }
  const before = reader.problems.length;
  const matchLabels: Record<string, string> = {};
  const labels = reader.object(value, 'matchLabels', path) ?? {};
  for (const [key, label] of Object.entries(labels)) {
    if (typeof label === 'string') matchLabels[key] = label;
    else reader.problem(`${path}/matchLabels`, `matchLabels.${key} must be a string`);
  }
  const matchExpressions: SelectorRequirement[] = [];
  for (const [item, i] of reader.objects(value, 'matchExpressions', path)) {
    const at = `${path}/matchExpressions/${i}`;
    const key = reader.string(item, 'key', at);
    const operator = reader.string(item, 'operator', at);
    const values = reader.strings(item, 'values', at) ?? [];
    if (key === undefined) reader.problem(at, 'a selector requirement needs a key');
    if (!(OPERATORS as readonly (string | undefined)[]).includes(operator)) {
      reader.problem(`${at}/operator`, `operator must be one of ${OPERATORS.join(', ')}`);
      continue;
    }
    const op = operator as SelectorRequirement['operator'];
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      reader.problem(`${at}/values`, `operator ${op} needs at least one value`);
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      reader.problem(`${at}/values`, `operator ${op} takes no values`);
    }
    if (key !== undefined) matchExpressions.push({ key, operator: op, values });
  }
  return { matchLabels, matchExpressions, ...(reader.problems.length > before ? { invalid: true } : {}) };
}
