import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { conformanceSuite } from '../conformance-suite.ts';
import { TEST_BACKENDS } from '../helpers.ts';

for (const backend of TEST_BACKENDS) conformanceSuite(`tfjs on ${backend}`, () => TfjsExecutor.create(backend));
