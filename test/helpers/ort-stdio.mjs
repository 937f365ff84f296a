// Runs an ONNX model once with ONNX Runtime (onnxruntime-node, the library dflc ships), for a
// process that has no onnxruntime of its own (test/package/readme-python.test.ts: Debian has no
// python3-onnxruntime). Reads {model, outputs, feeds: {NAME: {dims, data}}} as JSON on stdin
// (float32 feeds) and writes the outputs, in the order asked, as [{dims, data}] on stdout.
import ort from 'onnxruntime-node';

let text = '';
for await (const chunk of process.stdin) text += chunk;
const request = JSON.parse(text);
const session = await ort.InferenceSession.create(request.model);
const feeds = Object.fromEntries(
  Object.entries(request.feeds).map(([name, { dims, data }]) => [name, new ort.Tensor('float32', Float32Array.from(data), dims)]),
);
const results = await session.run(feeds, request.outputs);
process.stdout.write(JSON.stringify(request.outputs.map((name) => ({ dims: results[name].dims, data: Array.from(results[name].data) }))));
