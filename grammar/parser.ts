import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.ts';
import {
  AdditiveOperator,
  allTokens,
  Caret,
  Colon,
  Comma,
  Def,
  Equals,
  Identifier,
  Input,
  LBracket,
  Let,
  LParen,
  Minimize,
  Minus,
  MultiplicativeOperator,
  ParamKeyword,
  NumberLiteral,
  RBracket,
  RParen,
  TimeRef,
} from './tokens.ts';

/**
 * What the parser knew when it failed, before the text is written. The parser runs on one
 * statement's tokens at a time (see parse.ts), so only the caller knows which token really came
 * next; the message is therefore built there from this record, carried through Chevrotain as JSON.
 */
export interface SyntaxErrorFacts {
  /** `expected` holds what was wanted ("an expression", "')'"); `unexpected` means input was left over. */
  readonly kind: 'expected' | 'unexpected';
  readonly expected?: string;
  /** The token before the failure, when there was one. */
  readonly previous?: string;
  readonly rule: string;
}

/** What each rule wants when none of its alternatives can start; rules absent here never fail so. */
const RULE_WANTS: Record<string, string> = {
  unary: 'an expression',
  power: 'an expression',
  primary: 'an expression',
  argument: 'an argument',
  dim: 'a dimension (a name or a positive integer)',
  inputName: 'an input name',
  shape: "a shape, e.g. '[n, d]'",
  statement: 'a statement',
};

/** Better words for a token a rule expects, where the bare token would under-describe the choice. */
const RULE_EXPECTS: Record<string, string> = {
  "nameOrCall ')'": "',' or ')'",
  "defDecl ')'": "',' or ')'",
  "inputDecl ':'": "',' or ':'",
  'defDecl a name': 'a name for the def',
  'param a name': 'a parameter name',
  'letDecl a name': 'a name',
  'paramDecl a name': 'a name for the param',
};

function previousImage(token: IToken | undefined): string | undefined {
  return token === undefined || token.tokenType === chevrotain.EOF || Number.isNaN(token.startOffset) ? undefined : token.image;
}

function label(type: TokenType): string {
  return type.LABEL ?? type.name;
}

const encode = (facts: SyntaxErrorFacts): string => JSON.stringify(facts);

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, previous, ruleName }) =>
    expected === chevrotain.EOF
      ? encode({ kind: 'unexpected', rule: ruleName })
      : encode({
          kind: 'expected',
          expected: RULE_EXPECTS[`${ruleName} ${label(expected)}`] ?? label(expected),
          previous: previousImage(previous),
          rule: ruleName,
        }),
  buildNotAllInputParsedMessage: ({ ruleName }) => encode({ kind: 'unexpected', rule: ruleName }),
  buildNoViableAltMessage: ({ previous, ruleName }) =>
    encode({ kind: 'expected', expected: RULE_WANTS[ruleName] ?? ruleName, previous: previousImage(previous), rule: ruleName }),
  buildEarlyExitMessage: ({ previous, ruleName }) =>
    encode({ kind: 'expected', expected: RULE_WANTS[ruleName] ?? ruleName, previous: previousImage(previous), rule: ruleName }),
};

export function decodeSyntaxError(message: string): SyntaxErrorFacts {
  try {
    return JSON.parse(message) as SyntaxErrorFacts;
  } catch {
    return { kind: 'unexpected', rule: 'unknown' };
  }
}

/**
 * The DFL grammar of LANGUAGE.md as a pure Chevrotain CST parser: no actions, labelled children
 * that to-ast.ts reads. Precedence, loosest first: `+ -`, `* / @`, unary `-`, `^` (right-assoc).
 */
export class DflParser extends chevrotain.CstParser {
  /**
   * `validate`: run Chevrotain's grammar validations (ambiguities, left recursion). They cost
   * start-up time on every run and can only fail when the grammar changes, so the parser every
   * command uses skips them and a test builds one with them (test/grammar/grammar-validations.test.ts).
   */
  constructor(options: { readonly validate: boolean }) {
    super([...allTokens], { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messages, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** One statement: parse.ts cuts the file into statements at line ends (see `splitStatements`). */
  line = this.RULE('line', () => {
    this.SUBRULE(this.statement, { LABEL: 'statement' });
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.defDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.minimize) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  /** `input Z_t, Z_t+1 : [n, d]` */
  inputDecl = this.RULE('inputDecl', () => {
    this.CONSUME(Input, { LABEL: 'keyword' });
    this.SUBRULE(this.inputName, { LABEL: 'names' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.inputName, { LABEL: 'names' });
    });
    this.CONSUME(Colon);
    this.SUBRULE(this.shape, { LABEL: 'shape' });
  });

  /** `param W : [d, 16]`, optionally `= glorot` or `= zeros`. */
  paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(ParamKeyword, { LABEL: 'keyword' });
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Colon);
    this.SUBRULE(this.shape, { LABEL: 'shape' });
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.CONSUME2(Identifier, { LABEL: 'init' });
    });
  });

  /** `[]`, `[k]`, `[n, d]` (to-ast.ts refuses more than two dimensions). */
  shape = this.RULE('shape', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.dim, { LABEL: 'dims' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.dim, { LABEL: 'dims' });
      });
    });
    this.CONSUME(RBracket, { LABEL: 'close' });
  });

  inputName = this.RULE('inputName', () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier, { LABEL: 'name' }) }, { ALT: () => this.CONSUME(TimeRef, { LABEL: 'name' }) }]);
  });

  dim = this.RULE('dim', () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier, { LABEL: 'symbol' }) }, { ALT: () => this.CONSUME(NumberLiteral, { LABEL: 'size' }) }]);
  });

  /** `def name(x, gamma=1) = body` */
  defDecl = this.RULE('defDecl', () => {
    this.CONSUME(Def, { LABEL: 'keyword' });
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(LParen);
    this.SUBRULE(this.param, { LABEL: 'params' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.param, { LABEL: 'params' });
    });
    this.CONSUME(RParen);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression, { LABEL: 'body' });
  });

  /** A default may be negative (`lo=-1`): the spec's `number` read generously, since `-1` is a constant. */
  param = this.RULE('param', () => {
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.OPTION2(() => this.CONSUME(Minus, { LABEL: 'minus' }));
      this.CONSUME(NumberLiteral, { LABEL: 'default' });
    });
  });

  letDecl = this.RULE('letDecl', () => {
    this.CONSUME(Let, { LABEL: 'keyword' });
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  minimize = this.RULE('minimize', () => {
    this.CONSUME(Minimize, { LABEL: 'keyword' });
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  /** `+ -`, left-associative. */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(AdditiveOperator, { LABEL: 'operators' });
      this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
    });
  });

  /** `* / @`, left-associative. */
  multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(MultiplicativeOperator, { LABEL: 'operators' });
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  /** Unary minus binds looser than `^`: `-2^2` is `-(2^2)`. */
  unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus, { LABEL: 'minus' });
          this.SUBRULE(this.unary, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.power, { LABEL: 'power' }) },
    ]);
  });

  /** Right-associative through `unary`, which also admits `2^-1`. */
  power = this.RULE('power', () => {
    this.SUBRULE(this.primary, { LABEL: 'base' });
    this.OPTION(() => {
      this.CONSUME(Caret);
      this.SUBRULE(this.unary, { LABEL: 'exponent' });
    });
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral, { LABEL: 'number' }) },
      { ALT: () => this.CONSUME(TimeRef, { LABEL: 'timeref' }) },
      { ALT: () => this.SUBRULE(this.nameOrCall, { LABEL: 'nameOrCall' }) },
      {
        ALT: () => {
          this.CONSUME(LParen, { LABEL: 'open' });
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME(RParen, { LABEL: 'close' });
        },
      },
    ]);
  });

  nameOrCall = this.RULE('nameOrCall', () => {
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(LParen, { LABEL: 'open' });
      this.SUBRULE(this.argument, { LABEL: 'args' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.argument, { LABEL: 'args' });
      });
      this.CONSUME(RParen, { LABEL: 'close' });
    });
  });

  /** Positional `x` or keyword `gamma=2`; one token of lookahead past the name tells them apart. */
  argument = this.RULE('argument', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Identifier, { LABEL: 'keyword' });
          this.CONSUME(Equals);
          this.SUBRULE(this.expression, { LABEL: 'value' });
        },
      },
      { ALT: () => this.SUBRULE2(this.expression, { LABEL: 'value' }) },
    ]);
  });
}

/** One instance for the process: Chevrotain's grammar analysis is costly, parsing with it is not. */
export const dflParser = new DflParser({ validate: false });
