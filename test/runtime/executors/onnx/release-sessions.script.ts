// Run by onnx-executor.test.ts in a child process with --expose-gc: prints how many sessions an
// executor holds after running 20 distinct programs, before and after those programs are garbage.
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';

const executor = await OnnxExecutor.create({ threads: 1 });
const held = () => (executor as unknown as { sessions: Set<unknown> }).sessions.size;
for (let i = 0; i < 20; i++) {
  const b = new IrBuilder();
  const x = b.make('input', [], { name: 'x', shape: [3] });
  const program = { inputs: [{ name: 'x', shape: [3] }], outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [x, b.make('const', [], { value: i, shape: [] })])]) }] };
  await executor.run(program, new Map([['x', { shape: [3], data: Float32Array.of(1, 2, 3) }]]));
}
const before = held();
const gc = (globalThis as { gc?: () => void }).gc!;
for (let k = 0; k < 100 && held() >= before; k++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
}
console.log(JSON.stringify({ before, after: held() }));
executor.dispose();
