/**
 * Time in dflc's data code is a number of microseconds since 1970-01-01T00:00:00, MEDS's
 * `timestamp[us]` without a time zone. A float64 holds these exactly for years 1685 to 2255, so
 * plain numbers (and Float64Array) are used rather than bigint or Date (a Date would drop the
 * microseconds). NaN stands for a missing time (MEDS static facts).
 */

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;

const ISO =
  /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]00(?::?00)?)?$/;

/**
 * Parses an ISO 8601 date or date-time (`2020-03-01`, `2020-03-01 14:05`, `2020-03-01T14:05:09.123456`)
 * as a naive time in microseconds. A `Z` or `+00:00` suffix is accepted; other offsets are not,
 * because MEDS times carry no zone. Digits beyond microseconds are truncated. Returns undefined when
 * the text is not such a time.
 */
export function parseIsoMicros(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // setUTCFullYear rolls 2021-02-30 over into March; a real date survives the round trip.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined;
  const micros = Number((frac + '000000').slice(0, 6));
  return date.getTime() * 1000 + micros;
}

/** Formats microseconds as `YYYY-MM-DDTHH:MM:SS.ffffff` (naive, always six fraction digits). */
export function formatIsoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return iso.slice(0, -1) + String(rest).padStart(3, '0');
}
