/**
 * V8 gives each way of building an object a hidden class (a "map"), and optimized code checks the
 * maps it was compiled for. The map of a class instance is reached from the class only through a
 * weak transition: when no instance is alive at a full garbage collection (a few in a row), the map
 * dies, and every optimized function that checked it is thrown away and compiled again when it is
 * hot again. Objects made and dropped for each document or finding (a line table, a held finding)
 * lose their maps at almost every full collection of a check, and all of them between two checks in
 * one process: the functions that read them run slowly until they are compiled again.
 *
 * One instance kept for the life of the module keeps the map alive. Measured with
 * `--trace-deopt` over repeated checks with a full collection between them: the placement
 * functions and the rules were thrown away after each collection before, not after.
 */
const kept: unknown[] = [];

/**
 * Keep `instance` alive for the life of the process, so that its hidden class (and the optimized
 * code that checks for it) survives full garbage collections while no other instance is alive.
 * Give it an instance built the way the hot code builds them (the same fields, set in the same
 * order, with values of the same kinds); returns it.
 *
 * @example
 * ```ts
 * class Cursor { constructor(public at: number) {} }
 * keepShape(new Cursor(0)); // cursors made and dropped per document keep one hidden class
 * ```
 */
export function keepShape<T>(instance: T): T {
  kept.push(instance);
  return instance;
}
