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

/**
 * Whether two trees mean the same, spans aside. Iterative, unlike `JSON.stringify`, so that a
 * file with a sum of thousands of terms (a left spine thousands deep) compares without
 * exhausting the stack.
 */
export function equalIgnoringSpans(a: unknown, b: unknown): boolean {
  const pending: [unknown, unknown][] = [[a, b]];
  for (let pair = pending.pop(); pair !== undefined; pair = pending.pop()) {
    const [x, y] = pair;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      if (!Object.is(x, y)) return false;
      continue;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = (o: object) => Object.keys(o).filter((k) => !SPAN_KEYS.has(k) && (o as Record<string, unknown>)[k] !== undefined);
    const xKeys = keys(x);
    const yKeys = keys(y);
    if (xKeys.length !== yKeys.length) return false;
    for (const key of xKeys) {
      if (!Object.hasOwn(y, key)) return false;
      pending.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}
