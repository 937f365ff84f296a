/** A place in a source text. `line` and `column` count from 1; `offset` counts UTF-16 units from 0. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open range of source text: `end` is the position just after the last character. */
export interface Span {
  readonly start: Position;
  readonly end: Position;
}
