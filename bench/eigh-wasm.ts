import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Cyclic Jacobi in WebAssembly: eigenvalues of a symmetric k x k matrix (unsorted), or null. */
export type WasmJacobi = (a: Float64Array, k: number, maxSweeps: number) => Float64Array | null;

const SOURCE = join(import.meta.dirname, 'eigh-wasm', 'jacobi.rs');

/**
 * bench/eigh-wasm/jacobi.rs built with nightly rustc for wasm32 (its header says how and why) and
 * instantiated; the reason instead when the build or the load fails. Its matrices live in the
 * module's own memory, grown as k needs; copying in and out is part of each call, as it would be
 * for a solver hostEigh called.
 */
export function wasmJacobi(): WasmJacobi | string {
  const dir = mkdtempSync(join(tmpdir(), 'dflc-eigh-wasm-'));
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const out = join(dir, 'jacobi.wasm');
    execFileSync(
      'rustc',
      ['+nightly', '--target', 'wasm32-unknown-unknown', '--crate-type', 'cdylib', '-C', 'opt-level=3', '-C', 'panic=abort', '-C', 'target-feature=+simd128', SOURCE, '-o', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    bytes = Uint8Array.from(readFileSync(out));
  } catch (error) {
    return `rustc +nightly could not build ${SOURCE} for wasm32 (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = instance.exports.memory as WebAssembly.Memory;
  const jacobi = instance.exports.jacobi as (a: number, v: number, k: number, maxSweeps: number) => number;
  // Past the module's own data and stack: the memory it starts with.
  const base = memory.buffer.byteLength;
  return (a, k, maxSweeps) => {
    const need = base + 16 * k * k - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    new Float64Array(memory.buffer, base, k * k).set(a);
    if (jacobi(base, base + 8 * k * k, k, maxSweeps) < 0) return null;
    const done = new Float64Array(memory.buffer, base, k * k);
    return Float64Array.from({ length: k }, (_, i) => done[i * k + i]);
  };
}
