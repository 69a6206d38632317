/**
 * What a schema tells the diff about one kind. Paths are JSON Pointers in which `*` stands for any
 * list index or map key. `@shipshape/schema`'s `diffHints(bundle, gvk)` returns this shape.
 */
export interface DiffHints {
  /** Whether objects of the kind live in a namespace, when known. */
  readonly namespaced?: boolean;
  /** How list entries are identified: `mapKeys` (server-side apply) or `patchMergeKey`; `listType` `set` or `atomic`. */
  readonly lists?: readonly {
    readonly path: string;
    readonly listType?: string;
    readonly mapKeys?: readonly string[];
    readonly patchMergeKey?: string;
  }[];
  /** Fields holding `resource.Quantity` values (`1000m` equals `1`). */
  readonly quantities?: readonly string[];
  /** Fields holding int-or-string values (`"80"` equals `80`). */
  readonly intOrString?: readonly string[];
}

/** Diff hints for a kind, by `apiVersion` and `kind`; `undefined` when nothing is known. */
export type HintsFor = (apiVersion: string, kind: string) => DiffHints | undefined;

/** How the entries of one list are matched between desired and live. */
export type ListRule =
  | { readonly type: 'map'; readonly keys: readonly string[] }
  | { readonly type: 'set' }
  | { readonly type: 'atomic' };

/** A node of the hint tree: children by path segment, `*` for any. */
export interface HintNode {
  readonly children: Map<string, HintNode>;
  list?: ListRule;
  quantity?: boolean;
  intOrString?: boolean;
}

const trees = new WeakMap<DiffHints, HintNode>();

/** The hints of one kind as a tree walked along with the objects (built once per hints object). */
export function hintTree(hints: DiffHints | undefined): HintNode {
  if (!hints) return { children: new Map() };
  const known = trees.get(hints);
  if (known) return known;
  const root: HintNode = { children: new Map() };
  trees.set(hints, root);
  const at = (pointer: string): HintNode => {
    let node = root;
    for (const segment of pointer.split('/').slice(1)) {
      const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
      let child = node.children.get(key);
      if (!child) {
        child = { children: new Map() };
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  };
  for (const list of hints.lists ?? []) {
    const keys = list.mapKeys ?? (list.patchMergeKey === undefined ? undefined : [list.patchMergeKey]);
    at(list.path).list =
      keys !== undefined && keys.length > 0
        ? { type: 'map', keys }
        : list.listType === 'set'
          ? { type: 'set' }
          : { type: 'atomic' };
  }
  for (const path of hints.quantities ?? []) at(path).quantity = true;
  for (const path of hints.intOrString ?? []) at(path).intOrString = true;
  return root;
}

const EMPTY: readonly HintNode[] = [];

/** The hint nodes reached from `nodes` by one segment (a literal match and `*`). */
export function stepHints(nodes: readonly HintNode[], segment: string): readonly HintNode[] {
  if (nodes.length === 0) return EMPTY;
  const out: HintNode[] = [];
  for (const node of nodes) {
    const exact = node.children.get(segment);
    if (exact) out.push(exact);
    const any = segment === '*' ? undefined : node.children.get('*');
    if (any) out.push(any);
  }
  return out;
}

/** The list rule among `nodes`, if any says one. */
export function listRuleOf(nodes: readonly HintNode[]): ListRule | undefined {
  for (const node of nodes) if (node.list) return node.list;
  return undefined;
}
