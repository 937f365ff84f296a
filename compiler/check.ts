import type { SourceFile } from '../grammar/ast.ts';
import type { Diagnostic } from '../grammar/diagnostic.ts';

/**
 * Semantic checks of a parsed file (names, defs, shapes), after a clean parse. `dflc check`
 * reports these beside the syntax diagnostics.
 */
export function checkFile(_file: SourceFile): Diagnostic[] {
  return [];
}
