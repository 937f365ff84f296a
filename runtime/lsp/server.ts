import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './code-actions.ts';
import { complete } from './completion.ts';
import { Debouncer } from './debounce.ts';
import { definition } from './definition.ts';
import { toLspDiagnostic } from './diagnostics.ts';
import { analyseDocument, type DocumentAnalysis } from './document-analysis.ts';
import { formatDocument } from './formatting.ts';
import { hover } from './hover.ts';
import { inlayHints } from './inlay-hints.ts';
import { signatureHelp } from './signature-help.ts';
import { documentSymbols } from './symbols.ts';

export interface ServerOptions {
  /** Quiet time after a change before the document is re-checked and diagnostics published. */
  readonly debounceMs: number;
  /** Where relative stdlib paths in diagnostics are resolved from. */
  readonly cwd: string;
}

/** The file name dflc reports a document under: its path relative to the working directory. */
function fileNameOf(uri: string, cwd: string): string {
  if (!uri.startsWith('file:')) return uri;
  const path = fileURLToPath(uri);
  return relative(cwd, path) || path;
}

/**
 * The DFL language server on `connection`: open documents are checked as `dflc check` checks
 * files, and their diagnostics published (tagged with the document version they describe);
 * requests read the analysis of the document's current version.
 */
export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, DocumentAnalysis>();
  const debouncer = new Debouncer(options.debounceMs);

  /** The analysis of the document's current text, computed at most once per version. */
  function analysisOf(document: TextDocument): DocumentAnalysis {
    const cached = analyses.get(document.uri);
    if (cached !== undefined && cached.version === document.version) return cached;
    const fresh = analyseDocument(document.uri, fileNameOf(document.uri, options.cwd), document.getText(), document.version);
    analyses.set(document.uri, fresh);
    return fresh;
  }

  function publish(uri: string): void {
    const document = documents.get(uri);
    if (document === undefined) return;
    const analysis = analysisOf(document);
    void connection.sendDiagnostics({
      uri,
      version: analysis.version,
      diagnostics: analysis.diagnostics.map((d) => toLspDiagnostic(d, uri, options.cwd)),
    });
  }

  /** A request's handler, run on the document's current analysis and the cursor's offset. */
  function at<R>(
    handle: (analysis: DocumentAnalysis, offset: number, document: TextDocument) => R,
  ): (params: { textDocument: { uri: string }; position: { line: number; character: number } }) => R | null {
    return ({ textDocument, position }) => {
      const document = documents.get(textDocument.uri);
      return document === undefined ? null : handle(analysisOf(document), document.offsetAt(position), document);
    };
  }

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ',', ' '] },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
        definitionProvider: true,
        documentFormattingProvider: true,
        documentSymbolProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'dflc' },
    }),
  );
  // A newly opened file is checked at once; edits wait for a pause in typing.
  documents.onDidOpen(({ document }) => publish(document.uri));
  documents.onDidChangeContent(({ document }) => {
    // Opening also reports a change of content, of the version just published.
    if (analyses.get(document.uri)?.version === document.version) return;
    debouncer.schedule(document.uri, () => publish(document.uri));
  });
  documents.onDidClose(({ document }) => {
    debouncer.cancel(document.uri);
    analyses.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onHover(at((analysis, offset) => hover(analysis, offset)));
  connection.onCompletion(at((analysis, offset) => complete(analysis, offset)));
  connection.onSignatureHelp(at((analysis, offset) => signatureHelp(analysis, offset)));
  connection.onDefinition(at((analysis, offset) => definition(analysis, offset, options.cwd)));
  connection.onDocumentFormatting(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return document === undefined ? null : formatDocument(analysisOf(document), fileNameOf(document.uri, options.cwd));
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return document === undefined ? null : documentSymbols(analysisOf(document));
  });
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const document = documents.get(textDocument.uri);
    return document === undefined ? null : inlayHints(analysisOf(document), document.offsetAt(range.start), document.offsetAt(range.end));
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const document = documents.get(textDocument.uri);
    return document === undefined ? null : codeActions(document, context.diagnostics);
  });

  documents.listen(connection);
  connection.listen();
}
