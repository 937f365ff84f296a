import { frontEnd, type FrontEndResult } from '../../compiler/front-end/front-end.ts';
import { parse } from '../../grammar/parse.ts';
import { loadStdlib } from '../../runtime/stdlib-loader.ts';

/** Parses and elaborates DFL source with the real stdlib, as `dflc` does. */
export function compileSource(source: string, fileName = 'test.dfl'): FrontEndResult & { syntax: number } {
  const { ast, diagnostics } = parse(source);
  const result = frontEnd(ast, { fileName, source, prelude: loadStdlib() });
  return { ...result, diagnostics: [...diagnostics, ...result.diagnostics], syntax: diagnostics.length };
}

/** The forward program of source that must compile; throws with the diagnostics otherwise. */
export function forwardProgram(source: string) {
  const result = compileSource(source);
  if (result.program === undefined) {
    throw new Error(`did not compile:\n${result.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`).join('\n')}`);
  }
  return result.program;
}
