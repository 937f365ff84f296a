import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { randomObjectivesSuite } from '../random-objectives-suite.ts';

randomObjectivesSuite('onnx', () => OnnxExecutor.create());
