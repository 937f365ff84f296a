/**
 * Names from user code (input names, dimension names) reach a generated module only through
 * these functions: as string literals, as quoted property names, or as identifiers that are
 * sanitised and made unique. Nothing else interpolates user text into code.
 */

/** Words that cannot name a local in strict-mode module code, and globals that must not be shadowed. */
const RESERVED = new Set([
  // ECMAScript reserved words, including the strict-mode and module ones.
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else'],
  ...['enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof'],
  ...['new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void'],
  ...['while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private'],
  ...['protected', 'public', 'await', 'arguments', 'eval'],
  // Globals whose meaning the generated code relies on.
  ...['undefined', 'NaN', 'Infinity', 'Number', 'Float32Array', 'Object', 'Error', 'globalThis'],
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A single-quoted string literal (the quote style of the rest of a generated module). JSON's
 * escaping is valid TypeScript and covers every character that needs it; only the quote changes
 * (`\"` becomes `"`, `'` becomes `\'`; escapes are matched as pairs, so `\\"` stays right), and
 * U+2028 and U+2029, legal in JSON strings but line breaks to older parsers, are escaped too.
 */
export function stringLiteral(text: string): string {
  const inner = JSON.stringify(text)
    .slice(1, -1)
    .replace(/\\.|'/g, (m) => (m === "'" ? "\\'" : m === '\\"' ? '"' : m))
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `'${inner}'`;
}

/**
 * A number literal, including the values JavaScript has no literal for. `-0` keeps its sign,
 * which `String` would drop.
 */
export function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return 'Number.NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Number.POSITIVE_INFINITY';
  if (value === Number.NEGATIVE_INFINITY) return 'Number.NEGATIVE_INFINITY';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** The name of a property in an interface or type: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/**
 * A key in an object literal. `__proto__: x` and `'__proto__': x` would set the object's
 * prototype instead of making a property, so that one name is written as a computed key.
 */
export function objectKey(name: string): string {
  if (name === '__proto__') return `[${stringLiteral(name)}]`;
  return propertyName(name);
}

/** `object.name`, or `object["name"]` when the name is not an identifier. */
export function propertyAccess(object: string, name: string): string {
  return IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${stringLiteral(name)}]`;
}

/** Text for a `//` comment: line breaks would end it, so they become spaces. */
export function lineCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]/g, ' ');
}

/**
 * Text for the body of a `/** ... *\/` comment: `*\/` would end it early, so it is broken up as
 * `*\\/`, which reads the same. Every kind of line break becomes `\n`, so that the caller can
 * prefix each line.
 */
export function blockCommentText(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/\*\//g, '*\\/');
}

/**
 * Allocates local identifiers: each preferred name is sanitised into an identifier (`Z_t+1` ->
 * `Z_tp1`, `Z_t-2` -> `Z_tm2`, any other character -> `_`) and, when that is reserved or already
 * taken, suffixed with `_2`, `_3`, ... Allocation is in call order, so output is deterministic.
 */
export class LocalNames {
  private readonly taken = new Set<string>(RESERVED);

  /** Marks names as unavailable (the module's own names, the node locals). */
  reserve(names: Iterable<string>): void {
    for (const name of names) this.taken.add(name);
  }

  take(preferred: string): string {
    let base = preferred.replace(/\+/g, 'p').replace(/-/g, 'm').replace(/[^A-Za-z0-9_$]/g, '_');
    if (!/^[A-Za-z_$]/.test(base)) base = `_${base}`;
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }
}
