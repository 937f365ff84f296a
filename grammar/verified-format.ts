import type { SourceFile } from './ast.ts';
import { format } from './format.ts';
import { parse } from './parse.ts';
import { equalIgnoringSpans } from './strip-spans.ts';

const commentTexts = (file: SourceFile): string => JSON.stringify(file.comments.map((c) => c.text.trimEnd()).sort());

/**
 * `format(ast)`, checked. A formatter bug must never cost a user their file: before the text is
 * used, it has to parse back to the same tree with the same comments; otherwise this throws.
 */
export function verifiedFormat(ast: SourceFile, file: string): string {
  const text = format(ast);
  const again = parse(text);
  const same = equalIgnoringSpans(again.ast.statements, ast.statements) && commentTexts(again.ast) === commentTexts(ast);
  if (again.diagnostics.some((d) => d.severity === 'error') || !same) {
    throw new Error(`formatting '${file}' would change its meaning; the file was left as it is`);
  }
  return text;
}
