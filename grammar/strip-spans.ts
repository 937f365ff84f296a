/** Keys that say where a node came from rather than what it means. */
const SPAN_KEYS = new Set(['span', 'nameSpan', 'calleeSpan']);

/**
 * A copy of an AST (or any part of one) without its source positions, for comparing meaning:
 * `stripSpans(parse(format(ast)).ast)` equals `stripSpans(ast)`.
 */
export function stripSpans<T>(node: T): unknown {
  if (Array.isArray(node)) return node.map((item: unknown) => stripSpans(item));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!SPAN_KEYS.has(key) && value !== undefined) out[key] = stripSpans(value);
  }
  return out;
}
