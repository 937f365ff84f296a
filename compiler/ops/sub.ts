import { elementwiseBinary } from './elementwise.ts';

/** x - y. */
export const sub = elementwiseBinary({
  name: 'sub',
  kernel: (x, y) => x - y,
  facts: { linear: true },
  cotangents: (b, g) => [g, b.make('neg', [g])],
});
