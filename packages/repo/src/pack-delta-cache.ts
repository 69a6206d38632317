// Workaround for isomorphic-git 1.44.17 (checked against its source): a pack index loaded from an
// existing `.idx` never initialises `readDepth`, so `readDepth++` yields NaN, `NaN > 3` is false,
// and the index's delta-base cache (`offsetCache`) never fills. Every read from a pack then
// inflates the object's whole delta chain again: on a 30,000-file repository packed by `git gc`
// (chains about 30 deep) reading every file took 12.7 s and 637,000 inflations; with the cache
// working, 1.3 s and 30,000. Setting `readDepth` to 0 lets the cache work as designed: it keeps
// each object read from the pack for the lifetime of the isomorphic-git `cache` object.
//
// Only objects of the expected shape are touched; if isomorphic-git changes, this does nothing
// and reads are merely slower. Remove once isomorphic-git initialises `readDepth` itself.

const patched = new WeakSet<object>();

interface PackIndexShape {
  readDepth?: unknown;
  offsetCache?: unknown;
}

/** Make sure every pack index isomorphic-git has loaded into `cache` keeps its delta bases. */
export function enableDeltaBaseCache(cache: object): void {
  for (const symbol of Object.getOwnPropertySymbols(cache)) {
    if (symbol.description !== 'PackfileCache') continue;
    const packs = (cache as Record<symbol, unknown>)[symbol];
    if (!(packs instanceof Map)) continue;
    for (const pending of packs.values() as IterableIterator<unknown>) {
      if (typeof pending !== 'object' || pending === null || patched.has(pending)) continue;
      patched.add(pending);
      Promise.resolve(pending).then(fixReadDepth, () => undefined);
    }
  }
}

function fixReadDepth(index: unknown): void {
  if (typeof index !== 'object' || index === null) return;
  const shape = index as PackIndexShape;
  if (typeof shape.offsetCache !== 'object' || shape.offsetCache === null) return;
  if (typeof shape.readDepth !== 'number' || Number.isNaN(shape.readDepth)) shape.readDepth = 0;
}
