/**
 * Series colours: the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies), without its yellow, which is unreadable on white. Series beyond the seventh reuse
 * colours with a dashed line (see dashFor).
 */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

export function colourFor(index: number): string {
  return COLOURS[index % COLOURS.length];
}

/** A dash pattern for the second and later passes through the palette; undefined for a solid line. */
export function dashFor(index: number): string | undefined {
  return index < COLOURS.length ? undefined : `${4 + 2 * Math.floor(index / COLOURS.length)} 3`;
}
