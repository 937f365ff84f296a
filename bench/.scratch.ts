import { readFileSync } from 'node:fs';
import { TfjsExecutor } from '../compiler/backends/tfjs/tfjs-executor.ts';
import { checkObjective } from '../runtime/objective.ts';
import { buildTrainProgram } from '../runtime/model/train-program.ts';
import { paramInputName, adamMName, adamVName } from '../runtime/model/params.ts';
import { parseNpy } from '../runtime/io/npy.ts';
const dir = '/tmp/dflc-bt';
const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8'));
const c = checkObjective('c.dfl', meta.objective);
const train = buildTrainProgram({ program: c.program!, terms: c.terms }, meta.config);
const ex = await TfjsExecutor.create((process.argv[2] ?? 'wasm') as 'wasm');
const rd = (f: string) => { const a = parseNpy(readFileSync(`${dir}/${f}`)); return { shape: a.shape, data: a.data as Float32Array }; };
const res = [];
for (let k = 0; k < 8; k++) {
  const inputs = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const s of train.params) { const p = rd(meta.params[s.name]); inputs.set(paramInputName(s.name), p); inputs.set(adamMName(s.name), { shape: p.shape, data: new Float32Array(p.data.length) }); inputs.set(adamVName(s.name), { shape: p.shape, data: new Float32Array(p.data.length) }); }
  inputs.set('step', { shape: [], data: Float32Array.of(1) }); inputs.set('lr', { shape: [], data: Float32Array.of(meta.lr) });
  const names: Record<string, string> = { '0': 't', '1': 't+1' };
  for (const [slot, fields] of Object.entries(meta.batches[k] as Record<string, Record<string, string>>)) for (const [f, file] of Object.entries(fields)) inputs.set(`data:${names[slot]}.${f}`, rd(file));
  const out = await ex.run(train.program, inputs);
  res.push([0, 1, 2].map((i) => out.get(`term:${i}`)!.data[0]));
}
console.log(JSON.stringify(res));
