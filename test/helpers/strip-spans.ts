// The real one lives beside the AST, where `dflc fmt` uses it to check its own output.
export { stripSpans } from '../../grammar/strip-spans.ts';
