// The shape every CRD check reports in, and the two helpers they share.

import { formatPointer } from '@shipshape/core';

/** One reason the API server rejects a CRD: where (a JSON Pointer into the CRD) and why. */
export interface CrdProblem {
  readonly pointer: string;
  readonly message: string;
  /** Whether the span goes on the key rather than the value. */
  readonly atKey: boolean;
}

/** A schema object of a CRD, as read from YAML. */
export type Schema = Record<string, unknown>;
/** A path into the CRD, as a stack of segments. */
export type Path = (string | number)[];

/** Add a problem at `path` (copied into a JSON Pointer). */
export function problem(out: CrdProblem[], path: Path, message: string, atKey = false): void {
  out.push({ pointer: formatPointer(path), message, atKey });
}

/** `value` when it is a schema object (not null, not a list). */
export function asSchema(value: unknown): Schema | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : undefined;
}
