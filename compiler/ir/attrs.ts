import type { AttrValue, Attrs } from './node.ts';
import { bindShape, type Dim, type Shape } from './shape.ts';

/**
 * Typed reads of a node's attributes, for shape rules, kernels and every lowering alike. A wrong
 * attribute is a compiler bug (the builder's callers make them), so it throws a TypeError.
 */

function checkDim(value: unknown, what: string): Dim {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new TypeError(`${what} must be a positive integer or a dimension name, got ${JSON.stringify(value)}`);
}

/** A dimension attribute (`n`, `dim`, `rows`, `cols`, `length`): a positive integer or a symbolic name. */
export function dimAttr(attrs: Attrs, key: string): Dim {
  return checkDim(attrs[key], `attribute '${key}'`);
}

/** The `shape` attribute, checked dimension by dimension. */
export function shapeAttr(attrs: Attrs): Shape {
  const value = attrs.shape;
  if (!Array.isArray(value) || value.length > 2) {
    throw new TypeError(`attribute 'shape' must be a list of at most 2 dimensions, got ${JSON.stringify(value)}`);
  }
  return value.map((dim: unknown, i: number) => checkDim(dim, `attribute 'shape' entry ${i}`));
}

/** A numeric attribute (`value`). */
export function numberAttr(attrs: Attrs, key: string): number {
  const value = attrs[key];
  if (typeof value !== 'number') throw new TypeError(`attribute '${key}' must be a number, got ${JSON.stringify(value)}`);
  return value;
}

/** The attributes that hold dimensions (see node.ts); no other attribute does. */
const DIMENSION_ATTRS: readonly string[] = ['shape', 'n', 'dim', 'rows', 'cols', 'length'];

function bindDim(value: AttrValue, dims: ReadonlyMap<string, Dim>): AttrValue {
  if (typeof value === 'string') return dims.get(value) ?? value;
  if (Array.isArray(value)) return bindShape(value as readonly Dim[], dims);
  return value;
}

/**
 * `attrs` with every symbolic dimension that `dims` names replaced (by a size, or by another
 * program's dimension when inlining); the same object when nothing changes.
 */
export function bindAttrDims(attrs: Attrs, dims: ReadonlyMap<string, Dim>): Attrs {
  if (dims.size === 0) return attrs;
  let out: Record<string, AttrValue> | undefined;
  for (const key of DIMENSION_ATTRS) {
    if (!(key in attrs)) continue;
    const bound = bindDim(attrs[key], dims);
    if (JSON.stringify(bound) === JSON.stringify(attrs[key])) continue;
    out ??= { ...attrs };
    out[key] = bound;
  }
  return out ?? attrs;
}
