import type { IrBuilder } from '../ir/builder.ts';
import { topoOrder, type Node, type Program } from '../ir/node.ts';
import { rebuild } from '../ir/rebuild.ts';
import type { OpName } from '../ops/registry.ts';
import { fitShape } from './ir-helpers.ts';
import { FiredCounter, type Pass } from './pass.ts';
import { matches, type Bindings, type OpPattern } from './pattern.ts';

/** What a rule's replacement may consult besides its bindings. */
export interface RuleContext {
  readonly b: IrBuilder;
  /** The matched node, already rebuilt over rewritten inputs. */
  readonly node: Node;
  /**
   * Whether, in the program being rewritten, `node` has a user whose op is `op` (e.g. whether an
   * `eigh` has an `eigvecs` user). False for nodes made by this run's rewrites.
   */
  readonly hasUser: (node: Node, op: OpName) => boolean;
  /**
   * How many times `node` is used in the program being rewritten: once per input slot that reads
   * it, once more per program output it is. 0 for nodes made by this run's rewrites.
   */
  readonly uses: (node: Node) => number;
}

/**
 * One rewrite, as data: a name, the identity it relies on, a pattern (the left-hand side) and a
 * replacement (the right-hand side). The replacement may decline by returning undefined (a side
 * condition failed). It need not restore the shape when it yields a scalar for a broadcast
 * result: the engine broadcasts it.
 */
export interface Rule {
  readonly name: string;
  /** The identity that makes the rewrite exact, e.g. `x + 0 = x`. */
  readonly identity: string;
  readonly pattern: OpPattern;
  readonly replace: (m: Bindings, ctx: RuleContext) => Node | undefined;
}

export function rule(name: string, identity: string, pattern: OpPattern, replace: Rule['replace']): Rule {
  return { name, identity, pattern, replace };
}

/** How many rules may fire in a row on the same node within one run (the result is re-matched). */
const LOCAL_STEPS = 8;

/**
 * A pass that rebuilds the program bottom-up and, at each node, applies the first rule whose
 * pattern matches and whose replacement accepts; the result is matched again (a few times), and
 * the pipeline reruns the pass to a fixpoint for anything deeper. Rule names must be unique.
 */
export function rewritePass(name: string, rules: readonly Rule[]): Pass {
  const byOp = new Map<OpName, Rule[]>();
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.name)) throw new Error(`${name}: rule '${r.name}' is listed twice`);
    seen.add(r.name);
    const list = byOp.get(r.pattern.op) ?? [];
    list.push(r);
    byOp.set(r.pattern.op, list);
  }

  return (program: Program) => {
    const fired = new FiredCounter();
    const oldUsers = usersByOp(program);
    const oldUses = useCounts(program);
    const newUsers = new Map<number, Set<OpName>>();
    const newUses = new Map<number, number>();
    const hasUser = (node: Node, userOp: OpName) => newUsers.get(node.id)?.has(userOp) ?? false;
    const uses = (node: Node) => newUses.get(node.id) ?? 0;

    const { program: out } = rebuild(program, (b, old, inputs) => {
      let current = b.make(old.op, inputs, old.attrs);
      for (let step = 0; step < LOCAL_STEPS; step++) {
        const next = applyFirst(byOp.get(current.op), { b, node: current, hasUser, uses });
        if (next === undefined) break;
        fired.add(next.rule);
        current = next.node;
      }
      const users = oldUsers.get(old.id);
      if (users !== undefined) {
        const merged = newUsers.get(current.id) ?? new Set<OpName>();
        for (const u of users) merged.add(u);
        newUsers.set(current.id, merged);
      }
      // Old nodes rebuilt into one new node (made equal by rewrites) pool their uses.
      newUses.set(current.id, (newUses.get(current.id) ?? 0) + (oldUses.get(old.id) ?? 0));
      return current;
    });
    return { program: out, fired: fired.toList() };
  };
}

function applyFirst(rules: readonly Rule[] | undefined, ctx: RuleContext): { rule: string; node: Node } | undefined {
  if (rules === undefined) return undefined;
  for (const r of rules) {
    for (const bindings of matches(r.pattern, ctx.node)) {
      const replaced = r.replace(bindings, ctx);
      if (replaced === undefined || replaced === ctx.node) continue;
      return { rule: r.name, node: fitShape(ctx.b, replaced, ctx.node.shape) };
    }
  }
  return undefined;
}

/** For each node id, the ops of the nodes that use it. */
function usersByOp(program: Program): Map<number, Set<OpName>> {
  const users = new Map<number, Set<OpName>>();
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    for (const input of node.inputs) {
      const set = users.get(input.id) ?? new Set<OpName>();
      set.add(node.op);
      users.set(input.id, set);
    }
  }
  return users;
}

/** For each node id, its uses: input slots that read it, and program outputs that are it. */
function useCounts(program: Program): Map<number, number> {
  const uses = new Map<number, number>();
  for (const output of program.outputs) uses.set(output.node.id, (uses.get(output.node.id) ?? 0) + 1);
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    for (const input of node.inputs) uses.set(input.id, (uses.get(input.id) ?? 0) + 1);
  }
  return uses;
}
