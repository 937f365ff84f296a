import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderComparisonReport } from '../../../runtime/report/comparison-report.ts';
import { renderRunReport } from '../../../runtime/report/run-report.ts';
import { CHROMIUM, visit, type PageVisit } from '../../helpers/chromium.ts';
import { decodePng, type Pixels } from '../../helpers/png.ts';
import { fixtureRun } from './report-fixture.ts';

/**
 * The reports as a reader sees them: opened in a real headless Chromium (Debian's package; the
 * suite skips, saying so, where it is not installed). Checks that the page logs no error, makes no
 * request, and that every chart is on screen with something drawn in it: its series' lines have
 * length in the browser's own geometry, and the screenshot has pixels of the series' colours
 * inside the chart's box.
 */
const SERIES_COLOURS = [[0x00, 0x72, 0xb2], [0xd5, 0x5e, 0x00]];

interface ChartOnScreen {
  readonly id: string;
  readonly box: { x: number; y: number; width: number; height: number };
  readonly lineLength: number;
  readonly dots: number;
}

const CHARTS_IN_PAGE = `[...document.querySelectorAll('svg.chart')].map((s) => {
  const r = s.getBoundingClientRect();
  return {
    id: s.dataset.chart,
    box: { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height },
    lineLength: [...s.querySelectorAll('path[data-series]')].reduce((n, p) => n + p.getTotalLength(), 0),
    dots: s.querySelectorAll('circle').length,
  };
})`;

/** Pixels within `box` within 40 (per channel) of `colour`. */
function pixelsOf(image: Pixels, box: ChartOnScreen['box'], colour: readonly number[]): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(image.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(image.width, box.x + box.width); x++) {
      const i = (y * image.width + x) * 4;
      if (colour.every((c, k) => Math.abs(image.rgba[i + k] - c) <= 40)) n++;
    }
  }
  return n;
}

describe.skipIf(CHROMIUM === undefined)(`reports in headless Chromium${CHROMIUM === undefined ? ' (skipped: no chromium; see .ci/system/chromium.sh)' : ''}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dflc-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<PageVisit> {
    const file = join(dir, name);
    await writeFile(file, html);
    return visit(pathToFileURL(file).href);
  }

  it('the harness sees what it checks for: drawn pixels, console errors, requests', async () => {
    const page = await open(
      'box.html',
      '<!doctype html><link rel="icon" href="data:,"><body style="margin:0;background:#fff"><div style="position:absolute;left:10px;top:20px;width:30px;height:40px;background:#0072b2"></div>' +
        '<script>console.error("seen")</script><img src="http://127.0.0.1:9/x.png" width="1" height="1" style="position:absolute;left:150px">',
    );
    try {
      expect(page.errors.some((e) => e.includes('seen'))).toBe(true);
      expect(page.requests).toContain('http://127.0.0.1:9/x.png');
      const image = decodePng(await page.screenshot(200));
      expect(pixelsOf(image, { x: 0, y: 0, width: 200, height: image.height }, SERIES_COLOURS[0])).toBe(30 * 40);
      expect(pixelsOf(image, { x: 10, y: 20, width: 30, height: 40 }, SERIES_COLOURS[0])).toBe(30 * 40);
    } finally {
      await page.close();
    }
  });

  for (const [name, html, series] of [
    ['report.html', renderRunReport(fixtureRun()), 1],
    ['compare.html', renderComparisonReport({ title: 'card against vicreg', groups: [{ task: 'mortality', runs: [fixtureRun('card'), fixtureRun('vicreg', (r) => ({ ...r, probes: r.probes.map((p) => ({ ...p, auroc: 0.6, auroc_ci: [0.55, 0.66] as [number, number] })) }))] }] }), 2],
  ] as const) {
    it(`${name}: no console error, no request, every chart drawn`, async () => {
      const page = await open(name, html);
      try {
        const charts = await page.evaluate<ChartOnScreen[]>(CHARTS_IN_PAGE);
        const image = decodePng(await page.screenshot(1200));
        expect(page.errors).toEqual([]);
        expect(page.requests).toEqual([]);
        expect(charts.map((c) => c.id)).toEqual(['spectrum', 'loss', 'training-rank', 'probes-auroc', 'probes-auprc', 'stability-cka', 'stability-angles', 'robustness', 'latent-r2']);
        for (const chart of charts) {
          expect(chart.box.width * chart.box.height, chart.id).toBeGreaterThan(200 * 100);
          expect(chart.lineLength + chart.dots, chart.id).toBeGreaterThan(0);
          for (const colour of SERIES_COLOURS.slice(0, series)) expect(pixelsOf(image, chart.box, colour), `${chart.id} rgb(${colour})`).toBeGreaterThan(15);
        }
        if (name === 'report.html' && process.env.DFLC_REPORT_SCREENSHOT !== undefined) await writeFile(process.env.DFLC_REPORT_SCREENSHOT, await page.screenshot(1200));
      } finally {
        await page.close();
      }
    });
  }
});
