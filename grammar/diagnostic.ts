import type { Span } from './span.ts';

export type Severity = 'error' | 'warning' | 'note';

/** Extra places that explain a diagnostic, e.g. the def whose body failed at a call site. */
export interface RelatedInformation {
  readonly message: string;
  readonly span: Span;
  /** The file holding `span` when it is not the diagnostic's own (e.g. a stdlib file). */
  readonly file?: string;
}

/**
 * The one shape every phase reports problems in. `code` is stable per kind of problem
 * (`syntax`, `unknown-name`, `shape-mismatch`, ...) so tools can filter on it.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInformation[];
}
