/**
 * Reads leaf elements (path, circle, rect, text) out of the charts' SVG text for assertions,
 * without a DOM: attributes unescaped, text content unescaped. Enough for SVG that the charts
 * write (no CDATA, no comments, text content without markup).
 */
export interface SvgElement {
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
}

export function leafElements(svg: string, name: string): SvgElement[] {
  const found: SvgElement[] = [];
  const re = new RegExp(`<${name}((?:\\s+[\\w:-]+="[^"]*")*)\\s*(?:/>|>([^<]*)</${name}>)`, 'g');
  for (const m of svg.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
    found.push({ attrs, text: unescape(m[2] ?? '') });
  }
  return found;
}

/** The absolute points of a path written with M, L, H, V, h, v commands (what the charts use). */
export function pathPoints(d: string): [number, number][] {
  const points: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (const m of d.matchAll(/([MLHVhv])([-\d.e\s]+)/g)) {
    const nums = m[2].trim().split(/\s+/).map(Number);
    if (m[1] === 'M' || m[1] === 'L') [x, y] = nums;
    else if (m[1] === 'H') x = nums[0];
    else if (m[1] === 'V') y = nums[0];
    else if (m[1] === 'h') x += nums[0];
    else y += nums[0];
    points.push([x, y]);
  }
  return points;
}

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
}
