import type { SignatureHelp } from 'vscode-languageserver';
import type { DocumentAnalysis } from './document-analysis.ts';
import { callContext } from './call-context.ts';

/** The signature of the call the cursor is in, with the argument being written highlighted. */
export function signatureHelp(analysis: DocumentAnalysis, offset: number): SignatureHelp | null {
  const context = callContext(analysis.source, offset);
  const callable = context === undefined ? undefined : analysis.callables.get(context.callee);
  if (context === undefined || callable === undefined) return null;
  const byKeyword = context.keyword === undefined ? -1 : callable.params.findIndex((p) => p.name === context.keyword);
  return {
    signatures: [
      {
        label: callable.signature,
        documentation: { kind: 'markdown', value: callable.doc.join('\n') },
        parameters: callable.params.map((p) => ({ label: p.label })),
      },
    ],
    activeSignature: 0,
    activeParameter: byKeyword >= 0 ? byKeyword : Math.min(context.argIndex, Math.max(0, callable.params.length - 1)),
  };
}
