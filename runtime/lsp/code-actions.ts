import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** dflc's did-you-mean wording (`unknown function 'balanse'; did you mean 'balance'?`). */
const DID_YOU_MEAN = /'([^']+)'; did you mean '([^']+)'\?$/;

/**
 * A quick fix for each did-you-mean diagnostic whose range is the misspelt name itself (an error
 * inside a def's body is reported at the call, where replacing text would be wrong).
 */
export function codeActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const match = diagnostic.source === 'dflc' && typeof diagnostic.message === 'string' ? DID_YOU_MEAN.exec(diagnostic.message) : null;
    if (match === null || document.getText(diagnostic.range) !== match[1]) continue;
    actions.push({
      title: `Change '${match[1]}' to '${match[2]}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: match[2] }] } },
    });
  }
  return actions;
}
