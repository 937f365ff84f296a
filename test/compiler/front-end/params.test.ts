import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../compiler/pipeline.ts';
import { format } from '../../../grammar/format.ts';
import { parse } from '../../../grammar/parse.ts';
import { compileSource, forwardProgram } from '../../helpers/compile-source.ts';
import { entryDerivative, valueFunction } from '../../helpers/finite-diff.ts';
import { normals } from '../../helpers/linalg64.ts';

/**
 * `param` declarations: what the front end makes of them (an input of the program, listed with
 * its initialisation), the checks on them, the row-wise broadcasting and matrix-vector products
 * that heads and projectors are written with, and the gradient of a param that several terms
 * share against finite differences in float64.
 */

const messages = (source: string) => compileSource(source).diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`);

describe('param declarations', () => {
  it('are inputs of the program, listed with their shape and initialisation (glorot for a matrix, zeros otherwise, or as written)', () => {
    const result = compileSource('param W : [d, 16]\nparam b : [16]\nparam s : []\nparam V : [d, 4] = zeros\nparam u : [4] = glorot\nsum(Z @ W + b) * s + sum(Z @ V + u)');
    expect(result.diagnostics).toEqual([]);
    expect(result.params).toEqual([
      { name: 'W', shape: ['d', 16], init: 'glorot' },
      { name: 'b', shape: [16], init: 'zeros' },
      { name: 's', shape: [], init: 'zeros' },
      { name: 'V', shape: ['d', 4], init: 'zeros' },
      { name: 'u', shape: [4], init: 'glorot' },
    ]);
    expect(result.program!.inputs.map((i) => `${i.name}:${i.shape.join(',')}`)).toEqual(['W:d,16', 'b:16', 's:', 'V:d,4', 'u:4', 'Z:n,d']);
  });

  it('format back as written', () => {
    const source = 'param W : [d, 16] = zeros\nparam s : []\nsum(Z @ W) * s\n';
    const { ast } = parse(source);
    expect(format(ast)).toBe(source);
  });

  it('are refused with a clear error: a dimension no input has, a second declaration, an unknown initialisation, three dimensions', () => {
    expect(messages('param W : [d, k]\nsum(Z @ W)')).toEqual(["1:15 param W: 'k' is not a dimension of any input (n, d); use a number or an input's dimension"]);
    expect(messages('input Y : [n]\nparam Y : [n]\nsum(Y)')).toEqual(["2:7 'Y' is already defined"]);
    expect(messages('input Z : [n]\nparam Y : [n]\nparam Y : [n]\nsum(Y)')).toEqual(["3:7 'Y' is already defined"]);
    expect(messages('input Z : [n, d]\nparam W : [d]\ninput W : [n, d]\nsum(W)')).toEqual(["3:7 'W' is already defined"]);
    expect(messages('let s = sum(W)\nparam W : [d]\ns')).toEqual(["2:7 param 'W' is already used before this declaration"]);
    expect(messages('param W : [d, 2] = normal\nsum(Z @ W)')).toEqual(["1:20 a param is initialised with glorot or zeros, found 'normal'"]);
    expect(messages('param W : [d, 2, 2]\nsum(W)')).toEqual(['1:18 a shape has at most two dimensions (a scalar [], a vector [k] or a matrix [r, c]), found 3']);
    expect(messages('let W = Z\nparam W : [d]\nsum(W)')).toEqual(["2:7 'W' is already defined"]);
  });
});

describe('row-wise broadcasting and products with a vector', () => {
  const next = normals(7);
  const random = (...shape: number[]) => tensor64(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next()));
  const M = random(3, 2);
  const v = random(2);
  const u = random(3);
  const inputs = new Map<string, Tensor64>([
    ['M', M],
    ['v', v],
    ['u', u],
  ]);
  const decls = 'input M : [n, d]\ninput v : [d]\ninput u : [n]\n';
  const valueOf = (expression: string) => {
    const program = forwardProgram(`${decls}sum(${expression} * ${expression})`);
    return evaluate(program, inputs, new Map([['n', 3], ['d', 2]])).get('value')!.data[0];
  };
  const sumSquares = (f: (i: number, j: number) => number, rows: number, cols: number) => {
    let s = 0;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) s += f(i, j) ** 2;
    return s;
  };
  const m = (i: number, j: number) => M.data[i * 2 + j];

  it('M + v, v + M, M - v, M * v and M / v apply the vector to every row', () => {
    expect(valueOf('(M + v)')).toBeCloseTo(sumSquares((i, j) => m(i, j) + v.data[j], 3, 2), 12);
    expect(valueOf('(v + M)')).toBeCloseTo(sumSquares((i, j) => m(i, j) + v.data[j], 3, 2), 12);
    expect(valueOf('(M - v)')).toBeCloseTo(sumSquares((i, j) => m(i, j) - v.data[j], 3, 2), 12);
    expect(valueOf('(M * v)')).toBeCloseTo(sumSquares((i, j) => m(i, j) * v.data[j], 3, 2), 12);
    expect(valueOf('(M / v)')).toBeCloseTo(sumSquares((i, j) => m(i, j) / v.data[j], 3, 2), 9);
  });

  it('M @ v is a vector over the rows, u @ M one over the columns', () => {
    expect(valueOf('(M @ v)')).toBeCloseTo(sumSquares((i) => m(i, 0) * v.data[0] + m(i, 1) * v.data[1], 3, 1), 12);
    expect(valueOf('(u @ M)')).toBeCloseTo(sumSquares((_, j) => u.data[0] * m(0, j) + u.data[1] * m(1, j) + u.data[2] * m(2, j), 1, 2), 12);
  });

  it('refuses a vector that does not match the columns, and a product of two vectors', () => {
    expect(messages(`${decls}sum(M + u)`)[0]).toBe(
      '4:5 + needs equal shapes, a scalar, or a matrix[r, c] and a vector[c] (applied to every row), got matrix[n, d] (from M) and vector[n] (from u)',
    );
    expect(messages(`${decls}sum(M @ u)`)[0]).toBe('4:5 @ needs the columns of the left to match the rows of the right, got matrix[n, d] (from M) and vector[n] (from u)');
    expect(messages(`${decls}v @ v`)[0]).toBe('4:1 @ expects a matrix on one side (for a dot product write sum(u * v)), got vector[d] (from v)');
  });
});

describe('the gradient of params, float64, against finite differences', () => {
  // W is shared by three terms (a projector, a linear head on it, and a consistency term); w, b
  // are a head; the objective is what a supervised or SSL baseline writes.
  const SOURCE = [
    'input Y : [n]',
    'param W : [d, 3]',
    'param w : [3]',
    'param b : []',
    'let P = relu(Z @ W) ',
    'variance(P) + mean(softplus(-(2*Y - 1) * (P @ w + b))) + 0.5*fro2(Z_t @ W - Z_t+1 @ W)',
  ].join('\n');

  it('every entry of every param and input, for random values (n < d and n > d)', () => {
    const forward = forwardProgram(SOURCE);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.constantFrom([6, 4], [3, 5]), (seed, [n, d]) => {
        const sizes = new Map([
          ['n', n],
          ['d', d],
        ]);
        const next = normals(seed);
        const inputs = new Map(
          forward.inputs.map(({ name, shape }) => {
            const dims = shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
            const size = dims.reduce((a, b) => a * b, 1);
            // Labels are 0 or 1; everything else standard normal.
            return [name, tensor64(dims, Array.from({ length: size }, () => (name === 'Y' ? Number(next() > 0) : next())))];
          }),
        );
        const { program } = compileValueAndGrad(forward, { sizes });
        const out = evaluate(program, inputs, sizes);
        const f = valueFunction(forward, sizes);
        for (const name of ['W', 'w', 'b', 'Z', 'Z_t']) {
          const grad = out.get(`grad:${name}`)!.data;
          grad.forEach((g, i) => {
            const fd = entryDerivative(f, inputs, name, i);
            expect(Math.abs(g - fd), `${name}[${i}]: ad ${g}, fd ${fd}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
          });
        }
      }),
      { numRuns: 8 },
    );
  });
});
