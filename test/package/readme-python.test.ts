import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../runtime/io/npy.ts';
import { CONFORMANCE_DIR, relativeError } from '../helpers/conformance.ts';
import { REPO_ROOT, runCli } from '../helpers/run-cli.ts';

/**
 * README.md's Python snippet (the emitted .onnx as a torch.autograd.Function), run as written
 * under Debian's /usr/bin/python3 (python3-torch, python3-onnx: .ci/system/python.sh). Debian has
 * no python3-onnxruntime, so a stand-in `onnxruntime` module replaces only the session: it checks
 * the model with onnx's checker and runs it with ONNX Runtime through onnxruntime-node
 * (test/helpers/ort-stdio.mjs), float32 feeds only, as onnxruntime would. The loss and the input
 * gradients must match `dflc value` on the same arrays.
 */
const PYTHON = '/usr/bin/python3';
const CARD = join(CONFORMANCE_DIR, 'card_small');
/** examples/card.dfl with `balance2`, which exports (README: `balance` needs an eigendecomposition), and the snippet's input names. */
const OBJECTIVE = 'balance2(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)\n';
const NAMES = ['Z', 'Z_t', 'Z_t+1'];

function missingPython(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore', timeout: 60_000 });
    return undefined;
  } catch {
    return `${PYTHON} lacks torch or onnx (.ci/system/python.sh installs python3-torch, python3-onnx)`;
  }
}

/** The README's python block that defines the autograd Function. */
function readmeTorchSnippet(readme: string): string {
  const blocks = [...readme.matchAll(/^```python\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const snippet = blocks.find((block) => block.includes('torch.autograd.Function'));
  if (snippet === undefined) throw new Error('README.md has no python block with a torch.autograd.Function');
  return snippet;
}

const DRIVER = `
import json, os, subprocess, sys, types
import numpy as np, onnx, torch

class InferenceSession:
    """onnxruntime.InferenceSession's constructor and run(), through ONNX Runtime in Node."""
    def __init__(self, path, providers=None):
        self.path = os.path.abspath(path)
        model = onnx.load(self.path)
        onnx.checker.check_model(model)
        self.outputs = [o.name for o in model.graph.output]
    def run(self, output_names, feeds):
        for name, x in feeds.items():
            if not isinstance(x, np.ndarray) or x.dtype != np.float32:
                raise TypeError(f"feed {name}: expected a float32 numpy array, got {type(x).__name__} {getattr(x, 'dtype', '')}")
        request = {"model": self.path, "outputs": output_names or self.outputs,
                   "feeds": {name: {"dims": list(x.shape), "data": x.ravel().tolist()} for name, x in feeds.items()}}
        done = subprocess.run(json.loads(os.environ["ORT_STDIO"]), input=json.dumps(request), capture_output=True, text=True, check=True)
        return [np.array(o["data"], dtype=np.float32).reshape(o["dims"]) for o in json.loads(done.stdout)]

sys.modules["onnxruntime"] = types.SimpleNamespace(InferenceSession=InferenceSession)
inputs = [torch.tensor(np.load(path), requires_grad=True) for path in sys.argv[2:5]]
scope = {"z": inputs[0], "z_t": inputs[1], "z_t1": inputs[2]}
exec(compile(open(sys.argv[1]).read(), "README.md", "exec"), scope)
first = {"value": scope["loss"].item(), "grads": [x.grad.ravel().tolist() for x in inputs]}
for x in inputs:
    x.grad = None
(3 * scope["Objective"].apply(*inputs)).backward()
json.dump({**first, "tripled": [x.grad.ravel().tolist() for x in inputs]}, sys.stdout)
`;

interface DriverAnswer {
  value: number;
  grads: number[][];
  tripled: number[][];
}

const missing = missingPython();
if (missing !== undefined) describe.skip(`README.md's PyTorch snippet: ${missing}`, () => it('needs torch and onnx', () => {}));

describe.runIf(missing === undefined)("README.md's PyTorch snippet over the emitted ONNX model", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'dflc-readme-python-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("gives dflc value's loss and gradients through torch.autograd", async () => {
    const objective = join(tmp, 'objective.dfl');
    await writeFile(objective, OBJECTIVE);
    const compiled = await runCli(['compile', objective, '-o', join(tmp, 'objective.onnx')]);
    expect(compiled.code, compiled.stderr).toBe(0);
    const inputs = NAMES.map((name) => join(CARD, `${name}.npy`));
    const grads = join(tmp, 'grads');
    const value = await runCli(['value', objective, '--json', '--grad', grads, ...NAMES.flatMap((name, i) => ['--input', `${name}=${inputs[i]}`])]);
    expect(value.code, value.stderr).toBe(0);
    const expected = JSON.parse(value.stdout) as { value: number };

    const snippet = join(tmp, 'snippet.py');
    await writeFile(snippet, readmeTorchSnippet(await readFile(join(REPO_ROOT, 'README.md'), 'utf8')));
    const out = execFileSync(PYTHON, ['-c', DRIVER, snippet, ...inputs], {
      cwd: tmp, // the snippet opens "objective.onnx"
      env: { ...process.env, ORT_STDIO: JSON.stringify([process.execPath, join(REPO_ROOT, 'test', 'helpers', 'ort-stdio.mjs')]) },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const answer = JSON.parse(out) as DriverAnswer;
    // Both are float32 runs of one program, perhaps on different engines: the conformance bound.
    expect(relativeError([answer.value], [expected.value])).toBeLessThan(2e-3);
    for (const [i, name] of NAMES.entries()) {
      const want = Array.from(parseNpy(new Uint8Array(await readFile(join(grads, `${name}.npy`)))).data as Float32Array);
      expect(relativeError(answer.grads[i], want), name).toBeLessThan(2e-3);
      // backward scales the saved gradients by the incoming one.
      expect(relativeError(answer.tripled[i], answer.grads[i].map((g) => 3 * g)), `3 * ${name}`).toBeLessThan(1e-6);
    }
  }, 180_000);
});
