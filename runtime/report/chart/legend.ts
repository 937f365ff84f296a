import { colourFor, dashFor } from './palette.ts';
import { element, text } from './svg.ts';

/** Width of one legend character, an estimate for the 11px sans-serif the page uses. */
const CHAR_W = 6.2;
const ROW_H = 16;

/** Legend rows under a chart: a line sample in each series' colour and its name, wrapped to `width`. */
export function legend(names: readonly string[], x0: number, y0: number, width: number): { svg: string; height: number } {
  if (names.length < 2) return { svg: '', height: 0 };
  let x = x0;
  let y = y0 + ROW_H / 2;
  const parts: string[] = [];
  names.forEach((name, i) => {
    const w = 26 + name.length * CHAR_W + 14;
    if (x + w > x0 + width && x > x0) {
      x = x0;
      y += ROW_H;
    }
    parts.push(
      element('path', { d: `M${x} ${y}h20`, stroke: colourFor(i), 'stroke-width': 2.5, 'stroke-dasharray': dashFor(i), class: 'legend-sample' }),
      text({ x: x + 26, y: y + 4, class: 'legend' }, name),
    );
    x += w;
  });
  return { svg: element('g', { class: 'legend' }, parts.join('')), height: y - y0 + ROW_H / 2 + 4 };
}
