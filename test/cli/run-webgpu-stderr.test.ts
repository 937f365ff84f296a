import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { webgpuUnavailable } from '../runtime/executors/onnx-webgpu/open-webgpu.ts';

/**
 * `dflc run --backend onnx-webgpu` says on stderr what the CPU backend says and nothing more:
 * Dawn's start-up warnings (dawn-stderr.ts) and ORT's logs stay out. Slow (two training runs,
 * one with shader compilation on software Vulkan): DFLC_SLOW=1.
 */
const unavailable = process.env.DFLC_SLOW ? await webgpuUnavailable() : 'slow: run with DFLC_SLOW=1';

/** A line with its numbers (timings, losses) as #, and without the backend line that names the engine. */
const shapes = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((line) => line !== '' && !/^onnx(-webgpu)? \(/.test(line))
    .map((line) => line.replace(/\d+(\.\d+)?/g, '#'));

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-webgpu-stderr-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(unavailable !== undefined)(`dflc run on onnx-webgpu${unavailable === undefined ? '' : ` (${unavailable})`}`, () => {
  it('prints no stray line on stderr: the same lines as on onnx, besides the backend line', async () => {
    const args = (backend: string) => ['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--steps', '2', '--backend', backend, '--out', join(tmp, backend)];
    const cpu = await runCli(args('onnx'), { timeoutMs: 200_000 });
    expect(cpu.code, cpu.stderr).toBe(0);
    const gpu = await runCli(args('onnx-webgpu'), { timeoutMs: 200_000 });
    expect(gpu.code, gpu.stderr).toBe(0);
    expect(gpu.stderr).toMatch(/^onnx-webgpu \(onnxruntime-node [^\n]*, adapter /m);
    expect(shapes(gpu.stderr)).toEqual(shapes(cpu.stderr));
  }, 400_000);
});
