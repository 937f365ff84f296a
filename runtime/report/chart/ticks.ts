/**
 * Axis scales and their tick marks. A linear axis gets "nice" ticks (1, 2 or 5 times a power of
 * ten) covering the data; a log axis gets one tick per power of ten (and 2 and 5 times each when
 * the data spans less than two decades, so a short log axis still has ticks to read).
 */
export interface Scale {
  readonly log: boolean;
  /** The axis ends in data units (after widening to the outer ticks). */
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  /** Position in [0, 1] along the axis of a data value. */
  readonly unit: (value: number) => number;
}

/**
 * A scale covering [lo, hi]; a log scale needs lo > 0. Equal (or nearly equal) ends are widened so
 * the axis has length. `minStep` bounds a linear axis's tick step from below (1 for an axis of
 * counts: steps, windows, indices).
 */
export function makeScale(lo: number, hi: number, log: boolean, minStep = 0): Scale {
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || lo > hi) throw new Error(`axis range [${lo}, ${hi}] is not a finite interval`);
  return log ? logScale(lo, hi) : linearScale(lo, hi, minStep);
}

function linearScale(lo: number, hi: number, minStep: number): Scale {
  // A range too narrow for distinct ticks (float64 keeps about 15 digits) is drawn as a constant.
  if (hi - lo <= 1e-12 * Math.max(Math.abs(lo), Math.abs(hi), 1e-280)) {
    const mid = (lo + hi) / 2;
    const pad = Math.abs(mid) > 1e-280 ? Math.abs(mid) * 0.1 : 1;
    lo = mid - pad;
    hi = mid + pad;
  }
  const step = Math.max(niceStep((hi - lo) / 5), minStep);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; min + k * step <= max + step * 1e-9; k++) ticks.push(roundTo(min + k * step, step));
  return { log: false, min, max, ticks, unit: (v) => (v - min) / (max - min) };
}

function logScale(lo: number, hi: number): Scale {
  if (lo <= 0) throw new Error(`a log axis needs positive values, got ${lo}`);
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi) - 1e-9));
  const ticks: number[] = [];
  const mantissas = b - a <= 2 ? [1, 2, 5] : [1];
  for (let e = a; e <= b; e++) for (const m of mantissas) if (e < b || m === 1) ticks.push(Number(`${m}e${e}`));
  return { log: true, min: 10 ** a, max: 10 ** b, ticks, unit: (v) => (Math.log10(v) - a) / (b - a) };
}

/** The nice step (1, 2 or 5 times a power of ten) nearest above `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/** Removes the float noise of `k * step` (0.30000000000000004 -> 0.3). */
function roundTo(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(digits, 20)));
}

/** A tick label: short, no float noise; very large or small magnitudes in e-notation (1e-6). */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) {
    const [m, e] = value.toExponential().split('e');
    return `${Number(Number(m).toPrecision(3))}e${Number(e)}`;
  }
  return String(Number(value.toPrecision(6)));
}
