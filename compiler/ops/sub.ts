import { elementwiseBinary } from './elementwise.ts';

/** x - y. */
export const sub = elementwiseBinary({
  kernel: (x, y) => x - y,
  facts: { linear: true },
  cotangents: (b, g) => [g, b.make('neg', [g])],
});
