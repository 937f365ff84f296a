import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { DocumentAnalysis } from './document-analysis.ts';
import { spanToRange } from './positions.ts';
import { definitionSite, resolveName } from './resolve-name.ts';
import { nameAt } from './syntax-at.ts';

/**
 * Where the name under the cursor is defined: a let, a def, a parameter or an input declaration
 * in the document, or a stdlib def in its own file. Primitives and implicit inputs have none.
 */
export function definition(analysis: DocumentAnalysis, offset: number, cwd: string): Location | null {
  const at = nameAt(analysis.ast, offset);
  const meaning = at === undefined ? undefined : resolveName(analysis, at, offset);
  const site = meaning === undefined ? undefined : definitionSite(meaning);
  if (site === undefined) return null;
  const uri = site.file === undefined ? analysis.uri : pathToFileURL(resolve(cwd, site.file)).href;
  return { uri, range: spanToRange(site.span) };
}
