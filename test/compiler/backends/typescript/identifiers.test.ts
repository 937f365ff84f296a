import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockCommentText,
  lineCommentText,
  LocalNames,
  numberLiteral,
  objectKey,
  propertyAccess,
  propertyName,
  stringLiteral,
} from '../../../../compiler/backends/typescript/identifiers.ts';

// Evaluating a literal is the simplest way to ask "does this text mean that value?".
const evaluate = (expression: string): unknown => new Function(`"use strict"; return (${expression});`)();

describe('stringLiteral', () => {
  it.each([['plain'], ["it's"], ['say "hi"'], ['back\\slash \\"'], ['line\nbreak\r'], ['\u2028\u2029'], ['${x} `t`'], ['*/'], ['']])(
    'writes %j as a single-quoted literal of the same string',
    (text) => {
      const literal = stringLiteral(text);
      expect(literal).toMatch(/^'.*'$/s);
      expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
      expect(evaluate(literal)).toBe(text);
    },
  );

  it('round-trips any string (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => evaluate(stringLiteral(text)) === text));
  });
});

describe('numberLiteral', () => {
  it.each([0, -0, 1, -1.25, 1e-24, 1e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324])('round-trips %d', (value) => {
    expect(Object.is(evaluate(numberLiteral(value)), value)).toBe(true);
  });
});

describe('property names and keys', () => {
  it('leave identifiers bare and quote everything else', () => {
    expect(propertyName('Z')).toBe('Z');
    expect(propertyName('Z_t+1')).toBe("'Z_t+1'");
    expect(propertyName('0abc')).toBe("'0abc'");
    expect(propertyName('')).toBe("''");
    expect(propertyAccess('inputs', 'Z_t')).toBe('inputs.Z_t');
    expect(propertyAccess('inputs', 'Z_t-2')).toBe("inputs['Z_t-2']");
  });

  it('write __proto__ as a computed key, so that it makes a property and leaves the prototype alone', () => {
    expect(objectKey('__proto__')).toBe("['__proto__']");
    const made = evaluate(`{ ${objectKey('__proto__')}: 1, ${objectKey('constructor')}: 2, ${objectKey('a b')}: 3 }`) as object;
    expect(Object.keys(made)).toEqual(['__proto__', 'constructor', 'a b']);
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
  });

  it('make keys and accesses that mean the given name, for any name (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (name) => {
        const made = evaluate(`{ ${objectKey(name)}: 7 }`) as Record<string, number>;
        expect(Object.keys(made)).toEqual([name]);
        // JSON.parse makes an own property of every name; an object literal would not for
        // `__proto__`, which sets the prototype instead (found by this property).
        const inputs = JSON.stringify(JSON.stringify({ [name]: 7 }));
        expect(evaluate(`((inputs) => ${propertyAccess('inputs', name)})(JSON.parse(${inputs}))`)).toBe(7);
      }),
    );
  });
});

describe('comment text', () => {
  it('cannot close a block comment or end a line comment early (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(blockCommentText(text)).not.toContain('*/');
        expect(blockCommentText(text)).not.toMatch(/[\r\u2028\u2029]/);
        expect(lineCommentText(text)).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
    );
  });

  it('keeps the text readable: */ becomes *\\/', () => {
    expect(blockCommentText('a */ b\r\nc')).toBe('a *\\/ b\nc');
  });
});

describe('LocalNames', () => {
  it('sanitises time references and keeps names that collide after sanitising apart', () => {
    const names = new LocalNames();
    expect(names.take('Z_t+1')).toBe('Z_tp1');
    expect(names.take('Z_t-2')).toBe('Z_tm2');
    expect(names.take('Z_tp1')).toBe('Z_tp1_2');
    expect(names.take('a_tp1')).toBe('a_tp1');
    expect(names.take('a_t+1')).toBe('a_tp1_2');
    expect(names.take('a_tp1_2')).toBe('a_tp1_2_2');
  });

  it('never hands out reserved words, shadowed globals or reserved names', () => {
    const names = new LocalNames();
    names.reserve(['tf', 'inputs', 't0']);
    expect(names.take('tf')).toBe('tf_2');
    expect(names.take('inputs')).toBe('inputs_2');
    expect(names.take('t0')).toBe('t0_2');
    expect(names.take('class')).toBe('class_2');
    expect(names.take('Float32Array')).toBe('Float32Array_2');
    expect(names.take('undefined')).toBe('undefined_2');
    expect(names.take('')).toBe('_');
    expect(names.take('0abc')).toBe('_0abc');
    expect(names.take('ünï')).toBe('_n_');
  });

  it('gives distinct identifiers that can be declared, for any names (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 6 }), { maxLength: 12 }), (wanted) => {
        const names = new LocalNames();
        const given = wanted.map((w) => names.take(w));
        expect(new Set(given).size).toBe(given.length);
        // Declaring them all in one strict-mode scope is valid code.
        expect(() => new Function(`"use strict"; ${given.map((g, i) => `const ${g} = ${i};`).join(' ')}`)).not.toThrow();
      }),
    );
  });
});
