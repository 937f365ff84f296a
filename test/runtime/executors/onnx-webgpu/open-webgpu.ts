import { BackendUnavailableError } from '../../../../runtime/executors/executor.ts';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';

/**
 * The onnx-webgpu executor, asked for by name (so a software adapter is accepted: CI runs on
 * Mesa's lavapipe, see .ci/system/webgpu.sh), or the one-line reason it cannot start here, for the
 * tests to skip with.
 */
export async function openWebgpu(): Promise<OnnxExecutor | string> {
  try {
    return await OnnxExecutor.create({ provider: 'webgpu' });
  } catch (error) {
    if (error instanceof BackendUnavailableError) return `skipped: ${error.message.split(';')[0]}`;
    throw error;
  }
}

/** Whether onnx-webgpu starts here: undefined if it does, else the reason (checked once per test file). */
export async function webgpuUnavailable(): Promise<string | undefined> {
  const opened = await openWebgpu();
  if (typeof opened === 'string') return opened;
  opened.dispose();
  return undefined;
}
