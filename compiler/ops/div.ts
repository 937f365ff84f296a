import { elementwiseBinary } from './elementwise.ts';

/** x / y, entry by entry. */
export const div = elementwiseBinary({
  kernel: (x, y) => x / y,
  // x̄ = g/y; ȳ = -g·x/y² = -(g·out)/y, reusing the forward output.
  cotangents: (b, g, _x, y, out) => [b.make('div', [g, y]), b.make('neg', [b.make('div', [b.make('mul', [g, out]), y])])],
});
