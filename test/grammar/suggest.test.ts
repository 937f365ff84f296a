import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../grammar/suggest.ts';

const NAMES = ['balance', 'balance2', 'spectrum', 'ortho', 'consistent', 'cka', 'effrank', 'log', 'exp', 't', 'eye'];

describe('suggest', () => {
  it.each([
    ['spectrm', 'spectrum'],
    ['balanse', 'balance'],
    ['otrho', 'ortho'],
    ['consistnt', 'consistent'],
    ['Ortho', 'ortho'],
    ['lgo', 'log'],
  ])('suggests %s -> %s', (typo, expected) => {
    expect(suggest(typo, NAMES)).toBe(expected);
  });

  it.each(['x', 'zz', 'frobnicate', 'ortho'])('has nothing for %s', (name) => {
    expect(suggest(name, NAMES)).toBeUndefined();
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('otrho', 'ortho')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
