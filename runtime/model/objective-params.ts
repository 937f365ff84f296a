import { bindDims } from '../../compiler/ir/bind-dims.ts';
import type { ObjectiveParam } from '../../compiler/front-end/elaborate.ts';
import type { ProgramInput } from '../../compiler/ir/node.ts';
import { ModelConfigError } from './params.ts';
import type { ModelConfig, ParamSpec } from './train-spec.ts';

/**
 * The objective's own learnable tensors (`param W : [d, 16]` in a .dfl file) as trainer
 * parameters: each is the step program's `param:objective.<name>`, updated by the same Adam as the
 * encoder's weights, carried in checkpoints and saved with them in `model/` (the embed program
 * reads only the encoder's). Their symbolic dimensions take the sizes of the inputs they name
 * (`d` of `Z : [n, d]` is the run's --dim), read off the streams the inputs are bound to.
 */

/** `W` -> `objective.W`: the parameter's name among the run's (`param:objective.W` in a program). */
export const objectiveParamName = (name: string): string => `objective.${name}`;

/** The shape of the embedding a stream binding provides: a batch of `dim`-wide rows. */
export function streamShape(config: ModelConfig): readonly number[] {
  return [config.batch, config.dim];
}

/**
 * Trainer specs of the objective's params, their dimensions bound through the shapes the run
 * gives its bound inputs (`bound`: input -> shape); a declared shape the run cannot give
 * (`input Z : [n, 7]` in a --dim 32 run) is a ModelConfigError.
 */
export function objectiveParamSpecs(
  params: readonly ObjectiveParam[],
  inputs: readonly ProgramInput[],
  bound: ReadonlyMap<string, readonly number[]>,
): ParamSpec[] {
  if (params.length === 0) return [];
  const sources = inputs
    .filter((input) => bound.has(input.name))
    .map((input) => ({ label: `objective input '${input.name}'`, declared: input.shape, actual: bound.get(input.name)!, found: `the run's ${bound.get(input.name)!.length === 1 ? 'labels' : 'embedding'}, [${bound.get(input.name)!.join(', ')}]` }));
  const dims = bindDims<number>(sources, (message) => new ModelConfigError(message));
  return params.map((param) => ({
    name: objectiveParamName(param.name),
    shape: param.shape.map((dim) => {
      const size = typeof dim === 'number' ? dim : dims.get(dim);
      if (size === undefined) throw new ModelConfigError(`param ${param.name}: no input bound to the run gives its dimension '${dim}'`);
      return size;
    }),
    init: param.init,
  }));
}
