import { describe, expect, it } from 'vitest';
import { withoutDawnNoise } from '../../../../runtime/executors/gpu/dawn-stderr.ts';

const clamped = (kind: string) => `Warning: max${kind}BuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n`;

describe("Dawn's stderr", () => {
  it("loses only the clamped-limit warnings lavapipe causes; every other line stays, in order", () => {
    const other = 'Warning: something Dawn has not said before.\n';
    const error = 'Error: the device was lost\n';
    expect(withoutDawnNoise(clamped('DynamicUniform') + other + clamped('DynamicStorage') + error)).toBe(other + error);
    expect(withoutDawnNoise('')).toBe('');
    expect(withoutDawnNoise('no newline at the end')).toBe('no newline at the end');
    expect(withoutDawnNoise(clamped('DynamicUniform').replace('\n', '\r\n'))).toBe('');
    // The same words in another line are not the warning.
    expect(withoutDawnNoise(`dflc: ${clamped('DynamicUniform')}`)).toBe(`dflc: ${clamped('DynamicUniform')}`);
  });
});
