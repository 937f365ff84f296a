/**
 * A streaming CSV parser (RFC 4180): comma-separated fields, fields in double quotes may contain
 * commas, newlines and doubled quotes (`""`), lines end in LF or CRLF, a UTF-8 byte order mark is
 * skipped. No CSV package is installed, and this is all MEDS-style tables need.
 *
 * Chunks of text go in, complete records come out with the line they started on, so a caller can
 * read a file of any size with bounded memory and still report lines in its errors.
 */

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line on which the record starts. */
  readonly line: number;
}

/** Malformed CSV text (an unterminated quote, a stray quote); `line` is 1-based. */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly detail: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** The previous character closed a quoted field (or was the first of a `""` pair). */
  private afterQuote = false;
  private pendingCr = false;
  private line = 1;
  private recordLine = 1;
  private started = false;
  private sawBom = false;

  /** Feeds a chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (!this.sawBom) {
      if (text.length === 0) return out;
      this.sawBom = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let runStart = 0; // start of a run of ordinary characters not yet added to `field`
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === LF) {
          runStart = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (c === QUOTE) {
          this.field += text.slice(runStart, i);
          runStart = i + 1;
          this.inQuotes = false;
          this.afterQuote = true;
        } else if (c === LF) {
          this.line++;
        }
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === QUOTE) {
          // `""` inside a quoted field is one quote; the field goes on.
          this.field += '"';
          this.inQuotes = true;
          runStart = i + 1;
          continue;
        }
        if (c !== COMMA && c !== LF && c !== CR) {
          throw new CsvSyntaxError('unexpected character after a closing quote (quotes inside a field must be doubled)', this.line);
        }
      }
      if (c === COMMA) {
        this.field += text.slice(runStart, i);
        this.endField();
        runStart = i + 1;
      } else if (c === LF || c === CR) {
        this.field += text.slice(runStart, i);
        this.endField();
        out.push({ fields: this.fields, line: this.recordLine });
        this.fields = [];
        this.started = false;
        this.line++;
        this.recordLine = this.line;
        this.pendingCr = c === CR;
        runStart = i + 1;
      } else if (c === QUOTE) {
        if (this.field.length > 0 || i > runStart) {
          throw new CsvSyntaxError('a quote in the middle of an unquoted field (quote the whole field and double the quote)', this.line);
        }
        this.inQuotes = true;
        this.started = true;
        runStart = i + 1;
      } else {
        this.started = true;
      }
    }
    this.field += text.slice(runStart);
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a newline. */
  end(): CsvRecord[] {
    if (this.inQuotes) throw new CsvSyntaxError('unterminated quoted field (the file ends inside quotes)', this.recordLine);
    if (!this.started && this.fields.length === 0 && this.field.length === 0) return [];
    this.endField();
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    return [record];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.afterQuote = false;
    this.started = true;
  }
}

/** Parses a whole CSV text (for small files and tests). */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** Quotes a field when it needs quoting, for writers of CSV. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
