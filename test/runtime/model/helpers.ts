import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { initParams } from '../../../runtime/model/params.ts';
import { adamMName, adamVName, paramInputName } from '../../../runtime/model/params.ts';
import { dataInputName } from '../../../runtime/model/slot-embedding.ts';
import { fieldsOf, type BatchField, type ModelConfig, type ParamSpec } from '../../../runtime/model/train-spec.ts';
import { checkObjective } from '../../../runtime/objective.ts';
import { seededUniform } from '../../helpers/finite-diff.ts';

/** The card's objective, checked with the real stdlib. */
export const CARD = 'balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)';

export function objectiveOf(source: string) {
  const checked = checkObjective('test.dfl', source);
  if (checked.program === undefined) throw new Error(checked.diagnostics.map((d) => d.message).join('\n'));
  return { program: checked.program, terms: checked.terms, params: checked.params };
}

/** Tiny configurations of each modality (d < n, so no zero eigenvalue needs the dual form). */
export const TINY: Record<ModelConfig['modality'], ModelConfig> = {
  ehr: { modality: 'ehr', dim: 3, hidden: 4, codeRows: 6, labFeatures: 2, textRows: 1, batch: 5 },
  text: { modality: 'text', dim: 3, hidden: 4, codeRows: 1, labFeatures: 1, textRows: 7, batch: 5 },
  multimodal: { modality: 'multimodal', dim: 3, hidden: 4, codeRows: 6, labFeatures: 2, textRows: 7, batch: 5 },
};

/**
 * A random batch for one slot, built by hand: `perRow` list entries for every batch row (ids
 * drawn with repeats), weights normalised per row, rows in shuffled order; labs uniform in ±1.
 */
export function randomSlot(config: ModelConfig, slot: number, seed: number, perRow = 3): Map<string, Tensor64> {
  const u = seededUniform(seed);
  const list = (tableRows: number) => {
    const rows: number[] = [];
    for (let r = 0; r < config.batch; r++) for (let j = 0; j < perRow; j++) rows.push(r);
    for (let i = rows.length - 1; i > 0; i--) {
      const k = Math.floor(u() * (i + 1));
      [rows[i], rows[k]] = [rows[k], rows[i]];
    }
    const ids = rows.map(() => Math.floor(u() * tableRows));
    const raw = rows.map(() => 0.2 + u());
    const totals = new Array<number>(config.batch).fill(0);
    rows.forEach((r, i) => (totals[r] += raw[i]));
    const weights = raw.map((w, i) => w / totals[rows[i]]);
    return { ids, weights, rows };
  };
  const out = new Map<string, Tensor64>();
  const put = (field: BatchField, shape: number[], data: number[]) => out.set(dataInputName(slot, field), tensor64(shape, data));
  const fields = fieldsOf(config.modality);
  if (fields.includes('code_ids')) {
    const { ids, weights, rows } = list(config.codeRows);
    put('code_ids', [ids.length], ids);
    put('code_weights', [ids.length], weights);
    put('code_rows', [ids.length], rows);
    put('labs', [config.batch, config.labFeatures], Array.from({ length: config.batch * config.labFeatures }, () => 2 * u() - 1));
  }
  if (fields.includes('tok_ids')) {
    const { ids, weights, rows } = list(config.textRows);
    put('tok_ids', [ids.length], ids);
    put('tok_weights', [ids.length], weights);
    put('tok_rows', [ids.length], rows);
  }
  return out;
}

/** Every input of a step program: initial params, Adam state, step, lr and a random batch per slot. */
export function stepInputs(
  config: ModelConfig,
  specs: readonly ParamSpec[],
  slots: readonly number[],
  seed: number,
  options: { step?: number; lr?: number; randomState?: boolean } = {},
): Map<string, Tensor64> {
  const inputs = new Map<string, Tensor64>();
  const params = initParams(specs, seed);
  const u = seededUniform(seed + 1);
  for (const spec of specs) {
    const shape = [...spec.shape];
    const data = params.get(spec.name)!;
    // Biases start at zero; make them nonzero so that their gradients are exercised away from a special point.
    inputs.set(paramInputName(spec.name), tensor64(shape, spec.init === 'zeros' ? Array.from(data, () => 0.2 * u() - 0.1) : data));
    const size = data.length;
    inputs.set(adamMName(spec.name), tensor64(shape, options.randomState ? Array.from({ length: size }, () => 0.02 * u() - 0.01) : new Float64Array(size)));
    inputs.set(adamVName(spec.name), tensor64(shape, options.randomState ? Array.from({ length: size }, () => 1e-4 * u()) : new Float64Array(size)));
  }
  inputs.set('step', tensor64([], [options.step ?? 1]));
  inputs.set('lr', tensor64([], [options.lr ?? 0.01]));
  slots.forEach((slot, i) => {
    for (const [name, t] of randomSlot(config, slot, seed * 31 + i)) inputs.set(name, t);
  });
  return inputs;
}

/** The program with only the named outputs (evaluating it computes nothing else). */
export function only(program: Program, names: readonly string[]): Program {
  return { inputs: program.inputs, outputs: program.outputs.filter((o) => names.includes(o.name)) };
}
