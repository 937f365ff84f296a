import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { conformanceSuite } from '../conformance-suite.ts';

conformanceSuite('onnx', () => OnnxExecutor.create());
