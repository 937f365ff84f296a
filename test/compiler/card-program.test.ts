import { describe, expect, it } from 'vitest';
import { topoOrder, type Node, type Program } from '../../compiler/ir/node.ts';
import { compileValueAndGrad } from '../../compiler/pipeline.ts';
import { forwardProgram } from '../helpers/compile-source.ts';

/** The fusion claims of LANGUAGE.md, on the card's objective, in the optimised value+grad program. */

function inputsBehind(node: Node, memo = new Map<number, Set<string>>()): Set<string> {
  const known = memo.get(node.id);
  if (known !== undefined) return known;
  const names = new Set<string>(node.op === 'input' ? [String(node.attrs.name)] : []);
  for (const input of node.inputs) for (const name of inputsBehind(input, memo)) names.add(name);
  memo.set(node.id, names);
  return names;
}

/** Products XᵀX whose X depends on `input` alone: covariances (or Gram matrices) of it. */
function covariancesOf(program: Program, input: string): Node[] {
  return topoOrder(program.outputs.map((o) => o.node)).filter((n) => {
    if (n.op !== 'matmul') return false;
    const [left, right] = n.inputs;
    const behind = inputsBehind(right);
    return left.op === 'transpose' && left.inputs[0] === right && behind.size === 1 && behind.has(input);
  });
}

const ops = (program: Program, op: string) => topoOrder(program.outputs.map((o) => o.node)).filter((n) => n.op === op);

describe("the card's objective compiles to one fused program", () => {
  const card = forwardProgram('balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)');

  it.each([
    ['symbolic sizes', undefined],
    ['n > d', new Map([['n', 64], ['d', 16]])],
    ['n < d (dual form)', new Map([['n', 8], ['d', 32]])],
  ] as const)('with %s: one eigendecomposition, one covariance of Z', (_, sizes) => {
    const { program } = compileValueAndGrad(card, { sizes });
    expect(ops(program, 'eigh')).toHaveLength(1);
    const covariances = covariancesOf(program, 'Z');
    expect(covariances).toHaveLength(1);
    expect(program.outputs.map((o) => o.name)).toEqual(['value', 'grad:Z', 'grad:Z_t', 'grad:Z_t+1']);
  });

  it('balance2(spectrum(Z)) needs no eigendecomposition at all', () => {
    const { program } = compileValueAndGrad(forwardProgram('balance2(spectrum(Z))'));
    expect(ops(program, 'eigh')).toHaveLength(0);
  });
});
