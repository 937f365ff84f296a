import { escapeText } from '../escape.ts';

/**
 * Building blocks shared by the charts: an element with escaped attributes, a number written
 * short (two decimals: a hundredth of a pixel), and the chart's frame with its accessible title.
 */
export type Attrs = Readonly<Record<string, string | number | undefined>>;

export function element(name: string, attrs: Attrs, children = ''): string {
  const written = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? px(v) : escapeText(v as string)}"`)
    .join('');
  return children === '' ? `<${name}${written}/>` : `<${name}${written}>${children}</${name}>`;
}

export function text(attrs: Attrs, content: string): string {
  return element('text', attrs, escapeText(content));
}

export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * The outer `<svg>`: `id` names the chart for tests and links (`data-chart`), `title` is shown
 * above the plot and read by screen readers.
 */
export function frame(id: string, title: string, width: number, height: number, body: string): string {
  return element(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'chart', 'data-chart': id, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title },
    element('title', {}, escapeText(title)) + text({ x: 8, y: 16, class: 'chart-title' }, title) + body,
  );
}
