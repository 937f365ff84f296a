import * as tf from '@tensorflow/tfjs-core';
import { loadTfjsBackend } from './compiler/backends/tfjs/load-backend.ts';
for (const be of ['wasm','cpu'] as const) {
await loadTfjsBackend(be);
const n=4096,d=256;
const z = tf.tensor(Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 12.9898) * 0.5), [n,d]);
const ones = tf.ones([1, n]); const v = tf.ones([d]);
function time(label: string, f: () => tf.Tensor) { const ts: number[] = []; for (let i=0;i<7;i++){ const t=performance.now(); const r=f(); r.dataSync(); ts.push(performance.now()-t); r.dispose(); } ts.sort((a,b)=>a-b); console.log(be, label.padEnd(28), ts.slice(0,4).map(x=>x.toFixed(1)).join(' ')); }
time('sum axis0', () => tf.sum(z, 0));
time('ones@Z', () => tf.matMul(ones, z));
time('sum axis1', () => tf.sum(z, 1));
time('sum all', () => tf.sum(z));
time('tile rows', () => tf.tile(tf.reshape(v,[1,d]), [n,1]));
time('transpose', () => tf.transpose(z));
time('clone (readback)', () => tf.clone(z));
time('square', () => tf.square(z));
}
