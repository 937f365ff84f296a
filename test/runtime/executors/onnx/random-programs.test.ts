import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { randomProgramsSuite } from '../random-programs-suite.ts';

randomProgramsSuite('onnx', () => OnnxExecutor.create());
