import { describe, expect, it } from 'vitest';
import { evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import { topoOrder, type Node, type Program } from '../../../compiler/ir/node.ts';
import type { Tensor64 } from '../../../compiler/ir/tensor.ts';
import { StreamBindingError } from '../../../runtime/model/bind-streams.ts';
import { buildEmbedProgram } from '../../../runtime/model/embed-program.ts';
import { adamMName, adamVName, gradSqName, paramInputName, paramSpecs } from '../../../runtime/model/params.ts';
import { dataInputName } from '../../../runtime/model/slot-embedding.ts';
import { buildTrainProgram } from '../../../runtime/model/train-program.ts';
import { DEFAULT_ADAM, type ModelConfig } from '../../../runtime/model/train-spec.ts';
import { entryDerivative, relativeError } from '../../helpers/finite-diff.ts';
import { CARD, objectiveOf, only, stepInputs, TINY } from './helpers.ts';

/**
 * The training step as one program, on the float64 reference backend: the loss gradient of every
 * parameter against finite differences, Adam's update against a hand computation, the program's
 * interface, and what the optimiser made of it.
 */

const MODALITIES = ['ehr', 'text', 'multimodal'] as const;
const card = objectiveOf(CARD);

const run = (program: Program, inputs: ReadonlyMap<string, Tensor64>) => evaluate(program, inputs, inferSizes(program, inputs));
const nodesOf = (program: Program): Node[] => topoOrder(program.outputs.map((o) => o.node));

/** The step program's loss gradient of every parameter entry against Ridders' finite differences, float64. */
function expectStepGradients(train: ReturnType<typeof buildTrainProgram>, config: ModelConfig): void {
  const inputs = stepInputs(config, train.params, train.slots, 11);
  const out = run(train.program, inputs);
  const loss = only(train.program, ['loss']);
  const sizes = inferSizes(train.program, inputs);
  const f = (x: ReadonlyMap<string, Tensor64>) => evaluate(loss, x, sizes).get('loss')!.data[0];
  const value = out.get('loss')!.data[0];
  let norm2 = 0;
  for (const spec of train.params) for (const g of out.get(`grad:${paramInputName(spec.name)}`)!.data) norm2 += g * g;
  const floor = 1e-3 * Math.max(1, Math.abs(value), Math.sqrt(norm2));
  let worst = 0;
  let where = '';
  let checked = 0;
  for (const spec of train.params) {
    const name = paramInputName(spec.name);
    const grad = out.get(`grad:${name}`)!.data;
    for (let i = 0; i < grad.length; i++) {
      const fd = entryDerivative(f, inputs, name, i);
      const error = relativeError(grad[i], fd, floor);
      if (!(error <= worst)) [worst, where] = [error, `${name}[${i}]: ad ${grad[i]}, fd ${fd}`];
      checked++;
    }
  }
  expect(checked).toBe(train.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0));
  expect(Number.isFinite(value)).toBe(true);
  expect(Math.sqrt(norm2)).toBeGreaterThan(1e-3);
  expect(worst, where).toBeLessThan(1e-6);
}

describe.each(MODALITIES)('the %s training step', (modality) => {
  const config = TINY[modality];
  const train = buildTrainProgram(card, config, { gradients: true });

  it('has the inputs and outputs of train-spec.ts', () => {
    const specs = paramSpecs(config);
    const names = specs.map((s) => s.name);
    const fields = modality === 'ehr' ? ['code_ids', 'code_weights', 'code_rows', 'labs'] : modality === 'text' ? ['tok_ids', 'tok_weights', 'tok_rows'] : ['code_ids', 'code_weights', 'code_rows', 'labs', 'tok_ids', 'tok_weights', 'tok_rows'];
    expect(train.program.inputs.map((i) => i.name)).toEqual([
      ...names.map(paramInputName),
      ...names.map(adamMName),
      ...names.map(adamVName),
      'step',
      'lr',
      ...fields.map((f) => dataInputName(0, f as never)),
      ...fields.map((f) => dataInputName(1, f as never)),
    ]);
    expect(train.program.outputs.map((o) => o.name)).toEqual([
      'loss',
      'term:0',
      'term:1',
      'term:2',
      'embed:Z',
      'embed:Z_t',
      'embed:Z_t+1',
      ...names.map((n) => `grad:${paramInputName(n)}`),
      ...names.map(gradSqName),
      ...names.map(paramInputName),
      ...names.map(adamMName),
      ...names.map(adamVName),
    ]);
    expect(train.params).toEqual(specs);
    expect(train.slots).toEqual([0, 1]);
    expect(train.terms).toEqual(['balance(spectrum(Z))', '0.5*ortho(Z)', 'consistent(Z_t, Z_t+1)']);
    expect(train.bindings).toEqual([
      { input: 'Z', stream: 'Z', slot: 0 },
      { input: 'Z_t', stream: 'Z', slot: 0 },
      { input: 'Z_t+1', stream: 'Z', slot: 1 },
    ]);
    const shapeOf = (name: string) => train.program.inputs.find((i) => i.name === name)!.shape;
    if (modality !== 'text') {
      expect(shapeOf('data:t+1.code_ids')).toEqual(['codes@t+1']);
      expect(shapeOf('data:t.labs')).toEqual([config.batch, config.labFeatures]);
    }
    if (modality !== 'ehr') expect(shapeOf('data:t.tok_rows')).toEqual(['tokens@t']);
  });

  it('computes the loss gradient of every parameter entry (central finite differences, float64)', () => expectStepGradients(train, config));

  it('applies Adam to the gradients it computes: one step equals the hand-computed update', () => {
    const inputs = stepInputs(config, train.params, train.slots, 5, { step: 4, lr: 0.03, randomState: true });
    const out = run(train.program, inputs);
    const { beta1, beta2, epsilon } = DEFAULT_ADAM;
    for (const spec of train.params) {
      const p = inputs.get(paramInputName(spec.name))!.data;
      const m = inputs.get(adamMName(spec.name))!.data;
      const v = inputs.get(adamVName(spec.name))!.data;
      const g = out.get(`grad:${paramInputName(spec.name)}`)!.data;
      for (let i = 0; i < p.length; i++) {
        const m2 = beta1 * m[i] + (1 - beta1) * g[i];
        const v2 = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        const p2 = p[i] - (0.03 * (m2 / (1 - beta1 ** 4))) / (Math.sqrt(v2 / (1 - beta2 ** 4)) + epsilon);
        expect(out.get(adamMName(spec.name))!.data[i]).toBeCloseTo(m2, 14);
        expect(out.get(adamVName(spec.name))!.data[i]).toBeCloseTo(v2, 14);
        expect(out.get(paramInputName(spec.name))!.data[i]).toBeCloseTo(p2, 12);
      }
      const sq = g.reduce((a, x) => a + x * x, 0);
      expect(out.get(gradSqName(spec.name))!.data[0]).toBeCloseTo(sq, 12);
    }
  });

  it('costs one sum per parameter for grad_sq: square(gradient) is shared with the second moment', () => {
    const plain = buildTrainProgram(card, config).program;
    const withoutSums = nodesOf({ inputs: plain.inputs, outputs: plain.outputs.filter((o) => !o.name.startsWith('grad_sq:')) });
    const extra = nodesOf(plain).filter((n) => !withoutSums.includes(n));
    expect(extra.map((n) => n.op)).toEqual(train.params.map(() => 'sum'));
  });

  it('outputs the terms, which add up to the loss, and the embeddings the objective saw', () => {
    const inputs = stepInputs(config, train.params, train.slots, 2);
    const out = run(train.program, inputs);
    const terms = [0, 1, 2].map((i) => out.get(`term:${i}`)!.data[0]);
    expect(terms[0] + terms[1] + terms[2]).toBeCloseTo(out.get('loss')!.data[0], 12);
    expect(out.get('embed:Z')!.shape).toEqual([config.batch, config.dim]);
    expect(out.get('embed:Z')).toEqual(out.get('embed:Z_t'));
    expect(out.get('embed:Z_t+1')).not.toEqual(out.get('embed:Z_t'));
  });

  it('needs one eigendecomposition: spectrum(Z) only', () => {
    expect(nodesOf(train.program).filter((n) => n.op === 'eigh')).toHaveLength(1);
  });

  it('computes embed:Z_t as the embedding program does', () => {
    const embed = buildEmbedProgram(config);
    const names = modality === 'multimodal' ? ['embed:Z', 'embed:E', 'embed:T', 'embed:F'] : ['embed:Z'];
    expect(embed.outputs.map((o) => o.name)).toEqual(names);
    const inputs = stepInputs(config, train.params, train.slots, 9);
    const wanted = new Map([...inputs].filter(([name]) => embed.inputs.some((i) => i.name === name)));
    expect(wanted.size).toBe(embed.inputs.length);
    const got = run(embed, wanted);
    const expected = run(only(train.program, ['embed:Z_t']), inputs).get('embed:Z_t')!;
    got.get('embed:Z')!.data.forEach((x, i) => expect(x).toBeCloseTo(expected.data[i], 12));
  });
});

describe('the training step program', () => {
  it('decomposes one matrix per slot whose spectrum the objective needs, on the smaller side', () => {
    const two = objectiveOf('balance(spectrum(Z_t)) + balance(spectrum(Z_t+1))');
    expect(nodesOf(buildTrainProgram(two, TINY.ehr).program).filter((n) => n.op === 'eigh')).toHaveLength(2);
    // n = 4 < d = 6: the dual form decomposes the 4 x 4 Gram matrix instead of the 6 x 6 covariance.
    const wide: ModelConfig = { ...TINY.multimodal, batch: 4, dim: 6 };
    const eighs = nodesOf(buildTrainProgram(card, wide).program).filter((n) => n.op === 'eigh');
    expect(eighs.map((n) => n.shape)).toEqual([[4, 4]]);
    // ortho and consistent need none.
    const none = objectiveOf('ortho(Z) + consistent(Z_t, Z_t+1)');
    expect(nodesOf(buildTrainProgram(none, TINY.text).program).filter((n) => n.op === 'eigh')).toHaveLength(0);
  });

  it('lets a multimodal objective address each modality and the fusion', () => {
    const config = TINY.multimodal;
    const train = buildTrainProgram(objectiveOf('consistent(E, T) + balance(spectrum(F_t)) + 0.1*ortho(Z)'), config, { gradients: true });
    expect(train.bindings.map((b) => `${b.input}:${b.stream}`)).toEqual(['E:E', 'T:T', 'F_t:F', 'Z:Z']);
    expect(train.slots).toEqual([0]);
    const out = run(train.program, stepInputs(config, train.params, train.slots, 4));
    expect(out.get('embed:F_t')).toEqual(out.get('embed:Z'));
    for (const name of ['ehr.codes', 'text.tokens', 'fusion.w_ehr']) {
      expect(Math.max(...out.get(`grad:param:${name}`)!.data.map(Math.abs)), name).toBeGreaterThan(0);
    }
  });

  it('reads streams under other names through a rename', () => {
    const train = buildTrainProgram(objectiveOf('balance(spectrum(H_t)) + consistent(H_t, H_t+1)'), TINY.ehr, { rename: { H: 'Z' } });
    expect(train.bindings).toEqual([
      { input: 'H_t', stream: 'Z', slot: 0 },
      { input: 'H_t+1', stream: 'Z', slot: 1 },
    ]);
    expect(train.program.outputs.map((o) => o.name)).toContain('embed:H_t+1');
  });

  it('refuses an objective input with no stream, listing the streams the run provides', () => {
    expect(() => buildTrainProgram(objectiveOf('balance(spectrum(Q_t))'), TINY.ehr)).toThrow(StreamBindingError);
    expect(() => buildTrainProgram(objectiveOf('balance(spectrum(Q_t))'), TINY.ehr)).toThrow(
      "objective input 'Q_t' has no embedding stream: this ehr run provides Z (as Z, Z_t, Z_t+1, ...)",
    );
  });

  it('trains on a slot whose event list is empty', () => {
    const config = TINY.ehr;
    const train = buildTrainProgram(card, config);
    const inputs = stepInputs(config, train.params, train.slots, 3);
    for (const field of ['code_ids', 'code_weights', 'code_rows'] as const) inputs.set(dataInputName(1, field), { shape: [0], data: new Float64Array(0) });
    const out = run(train.program, inputs);
    expect(Number.isFinite(out.get('loss')!.data[0])).toBe(true);
    expect(out.get('param:ehr.codes')!.data.every(Number.isFinite)).toBe(true);
  });

  it('gives the output bias no gradient: the card objective does not see a translation of Z', () => {
    const config = TINY.ehr;
    const train = buildTrainProgram(card, config, { gradients: true });
    const out = run(train.program, stepInputs(config, train.params, train.slots, 6));
    const b2 = Math.max(...out.get('grad:param:ehr.b2')!.data.map(Math.abs));
    const w2 = Math.max(...out.get('grad:param:ehr.w2')!.data.map(Math.abs));
    expect(b2).toBeLessThan(1e-12 * Math.max(1, w2));
    expect(w2).toBeGreaterThan(1e-3);
  });

  it('a few steps on the same batch lower the loss', () => {
    const config = TINY.ehr;
    const train = buildTrainProgram(card, config);
    let inputs = stepInputs(config, train.params, train.slots, 8, { lr: 0.02 });
    const losses: number[] = [];
    for (let step = 1; step <= 15; step++) {
      inputs.set('step', { shape: [], data: Float64Array.of(step) });
      const out = run(train.program, inputs);
      losses.push(out.get('loss')!.data[0]);
      inputs = new Map([...inputs].map(([name, t]) => [name, out.has(name) ? out.get(name)! : t]));
    }
    expect(losses[14]).toBeLessThan(losses[0]);
  });
});

describe('a training step whose objective has params', () => {
  // W is shared by the three terms; w and b are a linear head on the projection.
  const objective = objectiveOf(
    'param W : [d, 2]\nparam w : [2]\nparam b : []\nlet P = Z_t @ W\nvariance(P) + mean(softplus(P @ w + b)) + 0.5*fro2(Z_t @ W - Z_t+1 @ W)',
  );
  const config = TINY.ehr;
  const train = buildTrainProgram(objective, config, { gradients: true });

  it("trains them with the encoder: parameters objective.<name> after the encoder's, their sizes from the run's", () => {
    expect(train.params.slice(paramSpecs(config).length)).toEqual([
      { name: 'objective.W', shape: [config.dim, 2], init: 'glorot' },
      { name: 'objective.w', shape: [2], init: 'zeros' },
      { name: 'objective.b', shape: [], init: 'zeros' },
    ]);
    expect(train.bindings.map((b) => b.input)).toEqual(['Z_t', 'Z_t+1']);
    expect(train.program.outputs.map((o) => o.name)).toContain('param:objective.W');
  });

  it('computes the loss gradient of every parameter entry, the encoder\'s and the objective\'s (finite differences, float64)', () => expectStepGradients(train, config));

  it("refuses an objective whose declared shape the run's embedding does not have", () => {
    expect(() => buildTrainProgram(objectiveOf('input Z : [n, 7]\nparam w : [7]\nsum(Z @ w)'), config)).toThrow(
      "objective input 'Z' should be matrix[n, 7], got the run's embedding, [5, 3]",
    );
  });
});
