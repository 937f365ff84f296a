import { invalidFloatReason, invalidIntegerReason, type ColumnSpec } from './meds-schema.ts';
import { NAN_AS_NULL } from './table-batch.ts';
import { parseIsoMicros } from './time.ts';

/**
 * Converting values of text formats (CSV fields, JSON values) into the normalised forms of
 * table-batch.ts. A conversion returns the value, or a `Bad` carrying the reason it is not valid.
 */
export class Bad {
  constructor(readonly reason: string) {}
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAN_WORDS = /^[+-]?nan$/i;
const INF_WORDS = /^[+-]?(inf|infinity)$/i;
const TRUE_WORDS = new Set(['true', 'True', 'TRUE', '1', 't', 'T']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', '0', 'f', 'F']);

/**
 * A CSV field. An empty field is null (CSV has no other way to write one), so an empty string is
 * not a possible string value.
 */
export function fromCsvField(spec: ColumnSpec, field: string): unknown {
  if (field === '') return nullValue(spec);
  switch (spec.kind) {
    case 'integer':
      return parseInteger(field.trim());
    case 'float':
      return parseFloatText(spec, field.trim());
    case 'timestamp':
      return parseTimestamp(field);
    case 'string':
      return field;
    case 'boolean':
      return parseBoolean(field.trim());
    case 'string-list':
      return parseStringList(field);
  }
}

/** A JSON value (from a JSONL note line). Numbers and numeric strings are both accepted for ids. */
export function fromJsonValue(spec: ColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return nullValue(spec);
  switch (spec.kind) {
    case 'integer':
      if (typeof value === 'number') return invalidIntegerReason(value) === undefined ? value : new Bad(invalidIntegerReason(value)!);
      if (typeof value === 'string') return parseInteger(value.trim());
      return new Bad(`expected an integer, got ${describeJson(value)}`);
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string') return parseFloatText(spec, value.trim());
      return new Bad(`expected a number, got ${describeJson(value)}`);
    case 'timestamp':
      if (typeof value === 'string') return parseTimestamp(value);
      return new Bad(`expected an ISO 8601 time string such as "2020-03-01T14:05:00", got ${describeJson(value)}`);
    case 'string':
      return typeof value === 'string' ? value : new Bad(`expected a string, got ${describeJson(value)}`);
    case 'boolean':
      if (typeof value === 'boolean') return value ? 1 : 0;
      return new Bad(`expected true or false, got ${describeJson(value)}`);
    case 'string-list':
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      return new Bad(`expected an array of strings, got ${describeJson(value)}`);
  }
}

function nullValue(spec: ColumnSpec): unknown {
  if (!spec.nullable) return new Bad('missing value; this column must not be null');
  if (spec.kind === 'boolean') return -1;
  if (spec.kind === 'integer' || spec.kind === 'float' || spec.kind === 'timestamp') return NaN;
  return null;
}

function parseInteger(text: string): unknown {
  if (!INTEGER.test(text)) return new Bad(`'${text}' is not an integer`);
  const value = Number(text);
  const reason = invalidIntegerReason(value);
  return reason === undefined ? value : new Bad(reason);
}

function parseFloatText(spec: ColumnSpec, text: string): unknown {
  if (NAN_WORDS.test(text)) return spec.nanAsNull === true ? NAN_AS_NULL : new Bad(invalidFloatReason(NaN)!);
  if (INF_WORDS.test(text)) return new Bad(invalidFloatReason(text.startsWith('-') ? -Infinity : Infinity)!);
  if (!DECIMAL.test(text)) return new Bad(`'${text}' is not a number`);
  const value = Number(text);
  const reason = invalidFloatReason(value);
  return reason === undefined ? value : new Bad(reason);
}

function parseTimestamp(text: string): unknown {
  const us = parseIsoMicros(text);
  return us === undefined ? new Bad(`'${text}' is not an ISO 8601 time such as 2020-03-01T14:05:00 (time zones other than Z are not accepted)`) : us;
}

function parseBoolean(text: string): unknown {
  if (TRUE_WORDS.has(text)) return 1;
  if (FALSE_WORDS.has(text)) return 0;
  return new Bad(`'${text}' is not a boolean (write true or false)`);
}

function parseStringList(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // fall through to the message below
  }
  return new Bad(`'${text}' is not a list of strings (write a JSON array, e.g. ["ICD10CM//E11"])`);
}

function describeJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
