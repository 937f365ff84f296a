import type { OpDef } from './op-def.ts';
import type { OpName } from './op-names.ts';
import { exp } from './exp.ts';
import { matmul } from './matmul.ts';

/** Every primitive, listed once. A name listed twice is a startup error, not a silent override. */
const ALL: readonly OpDef[] = [exp, matmul];

const byName = new Map<OpName, OpDef>();
for (const def of ALL) {
  if (byName.has(def.name)) throw new Error(`op '${def.name}' is registered twice`);
  byName.set(def.name, def);
}

export function opDef(name: OpName): OpDef {
  const def = byName.get(name);
  if (def === undefined) throw new Error(`op '${name}' has no definition in compiler/ops/registry.ts`);
  return def;
}

export const registeredOps: readonly OpDef[] = ALL;
