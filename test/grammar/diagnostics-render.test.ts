import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { diagnosticRecord, renderDiagnostic } from '../../grammar/diagnostics-render.ts';
import { LineIndex } from '../../grammar/line-index.ts';

const source = 'let a = 1\n\tlet bb = ortho(spectrum(Z))\nlet c = f(x,\n  y)';
const lines = new LineIndex(source);

function diagnostic(start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'error', code: 'shape-mismatch', message: 'ortho expects a matrix, got vector[d]', span: lines.span(start, end), ...extra };
}

describe('renderDiagnostic', () => {
  it('underlines the span under the source line, keeping tabs for alignment', () => {
    const start = source.indexOf('spectrum');
    expect(renderDiagnostic(diagnostic(start, start + 'spectrum(Z)'.length), 'obj.dfl', source)).toBe(
      [
        'obj.dfl:2:17: error: ortho expects a matrix, got vector[d]',
        '  2 | \tlet bb = ortho(spectrum(Z))',
        `    | \t${' '.repeat(15)}^${'~'.repeat(10)}`,
      ].join('\n'),
    );
  });

  it('underlines a multi-line span to the end of its first line', () => {
    const start = source.indexOf('f(x');
    const rendered = renderDiagnostic(diagnostic(start, source.length, { severity: 'warning' }), 'obj.dfl', lines);
    expect(rendered.split('\n')).toEqual(['obj.dfl:3:9: warning: ortho expects a matrix, got vector[d]', '  3 | let c = f(x,', '    |         ^~~~']);
  });

  it('draws one caret for an empty span and lists related information as notes', () => {
    const related = [
      { message: "'f' is defined here", span: lines.span(0, 3) },
      { message: 'in the stdlib', span: lines.span(0, 3), file: 'stdlib/spectral.dfl' },
    ];
    expect(renderDiagnostic(diagnostic(9, 9, { related }), 'obj.dfl', source).split('\n')).toEqual([
      'obj.dfl:1:10: error: ortho expects a matrix, got vector[d]',
      '  1 | let a = 1',
      '    |          ^',
      "obj.dfl:1:1: note: 'f' is defined here",
      'stdlib/spectral.dfl:1:1: note: in the stdlib',
    ]);
  });

  it('shows a window of a long line, keeping the caret under the span', () => {
    const long = `${'x + '.repeat(60)}oops + y`;
    const at = long.indexOf('oops');
    const [, line, caret] = renderDiagnostic({ ...diagnostic(0, 0), span: new LineIndex(long).span(at, at + 4) }, 'f', long).split('\n');
    // The window is clamped to the line's end, so it shows the last 120 characters here.
    expect(line).toBe(`  1 | ...${long.slice(-120)}`);
    expect(caret.indexOf('^')).toBe(line.indexOf('oops'));
    expect(caret.endsWith('^~~~')).toBe(true);
  });

  it('widens the gutter for long files', () => {
    const long = `${'\n'.repeat(99)}oops`;
    expect(renderDiagnostic({ ...diagnostic(0, 0), span: new LineIndex(long).span(99, 103) }, 'f', long).split('\n').slice(1)).toEqual([
      '  100 | oops',
      '      | ^~~~',
    ]);
  });
});

describe('diagnosticRecord', () => {
  it('flattens a diagnostic for JSON output', () => {
    expect(diagnosticRecord(diagnostic(4, 5), 'obj.dfl')).toEqual({
      file: 'obj.dfl',
      line: 1,
      column: 5,
      endLine: 1,
      endColumn: 6,
      severity: 'error',
      code: 'shape-mismatch',
      message: 'ortho expects a matrix, got vector[d]',
    });
  });
});
