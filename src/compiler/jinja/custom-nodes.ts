// AST node types the compat parser produces for Jinja syntax nunjucks has no node for (`do`, `with`,
// `set ns.attr`, `set a, b = ...`, `for x in xs if cond`) and the compat compiler wraps around expressions (Python truthiness,
// dict iteration). Their `fields` list every child node, so `findAll(nodes.FunCall)` still finds `ref()`
// calls inside them; they are registered in nunjucks' node table so its transformer can rebuild them.
import { nj, type JNode, type NodeClass } from './internals.js';

const Node = nj.nodes.Node;

/** `{% do expr %}`: evaluate, discard. */
export const JcDo: NodeClass = Node.extend('JcDo', { fields: ['expr'] });
/** `{% set target.key = value %}` (namespace attribute assignment). */
export const JcSetAttr: NodeClass = Node.extend('JcSetAttr', { fields: ['target', 'key', 'value'] });
/** `{% set a, b = value %}`: targets is a NodeList of Symbols. */
export const JcUnpack: NodeClass = Node.extend('JcUnpack', { fields: ['targets', 'value'] });
/** `{% with a = x, b = y %}body{% endwith %}`: targets and values are NodeLists. */
export const JcWith: NodeClass = Node.extend('JcWith', { fields: ['targets', 'values', 'body'] });
/** Python truthiness of an expression (wrapped around `if` conditions). */
export const JcTruthy: NodeClass = Node.extend('JcTruthy', { fields: ['expr'] });
/** What a single-name `for` iterates: a dict's keys, anything else as is. */
export const JcIter: NodeClass = Node.extend('JcIter', { fields: ['expr'] });
/** `for name in arr if cond`: the items of arr for which cond holds (with name bound to the item). */
export const JcLoopFilter: NodeClass = Node.extend('JcLoopFilter', { fields: ['arr', 'cond', 'name'] });
/** Generated JS (compiler-internal; never produced by the parser). */
export const JcRaw: NodeClass = Node.extend('JcRaw', { fields: [] });

export const CUSTOM_NODES: Readonly<Record<string, NodeClass>> = {
  JcDo, JcSetAttr, JcUnpack, JcWith, JcTruthy, JcIter, JcLoopFilter, JcRaw,
};

export function isCustomNode(node: unknown): node is JNode {
  for (const cls of Object.values(CUSTOM_NODES)) if (node instanceof cls) return true;
  return false;
}

/** Makes the node types known to nunjucks' transformer (which rebuilds nodes by `typename`). */
export function registerCustomNodes(): void {
  for (const [name, cls] of Object.entries(CUSTOM_NODES)) nj.nodes[name] = cls;
}
