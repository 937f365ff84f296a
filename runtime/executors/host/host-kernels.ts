import type { HostOpName } from '../../../compiler/ops/registry.ts';
import type { Float32Tensor } from '../executor.ts';
import { hostEighFloat32 } from './host-eigh.ts';
import { float32EngineRoutine } from './lapack-eigh.ts';

/**
 * Computes a host op (facts.runsOnHost) from its inputs' float32 values; returns the parts of its
 * tuple, in the order its selectors number them (facts.selectsPart), as float32.
 */
export type HostKernel = (inputs: readonly Float32Tensor[]) => readonly Float32Tensor[];

/**
 * The host kernel of every host op, for every executor: the type checker fails until a new host op
 * has its row here, and no executor names one.
 */
export const hostKernels: Readonly<Record<HostOpName, HostKernel>> = {
  eigh: ([m]) => {
    const k = m.shape[0];
    const { values, vectors } = hostEighFloat32(m.data, k, { routine: float32EngineRoutine() });
    return [
      { shape: [k], data: values },
      { shape: [k, k], data: vectors },
    ];
  },
};
