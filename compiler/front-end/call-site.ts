import type { Diagnostic, RelatedInformation } from '../../grammar/diagnostic.ts';
import type { Span } from '../../grammar/span.ts';
import type { DefEntry } from './elaborate.ts';

/** One level of def expansion: `ortho(Z)` called at `callSpan`. */
export interface Frame {
  readonly def: DefEntry;
  readonly callSpan: Span;
}

/**
 * An error found while expanding defs, reported where the user can act on it: at the outermost call
 * in the user's file, with the chain of calls down to `span` as related information. `asCaller`,
 * when given, words it as the caller's own expectation (the offending value came from the user's
 * text), e.g. `ortho expects matrix[_, _], got vector[d] (from spectrum(Z))`. Outside any def the
 * error stands at `span` as it is.
 */
export function callSiteDiagnostic(
  frames: readonly Frame[],
  span: Span,
  code: string,
  message: string,
  fileName: string,
  asCaller?: (caller: string) => string,
): Diagnostic {
  if (frames.length === 0) return { severity: 'error', code, message, span };
  const innermost = frames.length - 1;
  const related: RelatedInformation[] = [];
  for (let i = innermost; i >= 0; i--) {
    const frame = frames[i];
    related.push({
      message: i === innermost ? `in the body of ${frame.def.decl.name}: ${message}` : `called from ${frame.def.decl.name}`,
      span: i === innermost ? span : frames[i + 1].callSpan,
      ...(frame.def.file === fileName ? {} : { file: frame.def.file }),
    });
  }
  const outer = frames[0];
  const rephrased = asCaller !== undefined ? asCaller(outer.def.decl.name) : `in ${outer.def.decl.name}(...): ${message}`;
  return { severity: 'error', code, message: rephrased, span: outer.callSpan, related };
}
