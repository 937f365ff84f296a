import { elementwisePrimitives } from './elementwise.ts';
import { matrixPrimitives } from './matrix.ts';
import type { Primitive } from './primitive.ts';
import { reductionPrimitives } from './reductions.ts';
import { vectorPrimitives } from './vector.ts';

const ALL: readonly Primitive[] = [...elementwisePrimitives, ...reductionPrimitives, ...matrixPrimitives, ...vectorPrimitives];

/** The surface primitives by name; a name defined twice is a startup error. */
export const PRIMITIVES: ReadonlyMap<string, Primitive> = (() => {
  const map = new Map<string, Primitive>();
  for (const p of ALL) {
    if (map.has(p.name)) throw new Error(`primitive '${p.name}' is defined twice`);
    map.set(p.name, p);
  }
  return map;
})();
