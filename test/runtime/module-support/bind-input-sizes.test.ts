import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { bindInputSizes, type InputSignature } from '../../../runtime/entry.ts';
import { InputShapeError } from '../../../runtime/executors/bind-sizes.ts';

const SIGNATURE: InputSignature[] = [
  { name: 'Z', shape: ['n', 'd'] },
  { name: 'Z_t+1', shape: ['n', 'd'] },
  { name: 'W', shape: ['d', 3] },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('bindInputSizes (what a generated module calls first)', () => {
  it('returns the sizes of the dimensions asked for, in order', () => {
    const inputs = { Z: tf.zeros([5, 4]), 'Z_t+1': tf.zeros([5, 4]), W: tf.zeros([4, 3]) };
    expect(bindInputSizes(SIGNATURE, ['d', 'n'], inputs)).toEqual([4, 5]);
    expect(bindInputSizes(SIGNATURE, [], inputs)).toEqual([]);
    tf.dispose(Object.values(inputs));
  });

  it('names the input and the dimension that disagree', () => {
    const inputs = { Z: tf.zeros([5, 4]), 'Z_t+1': tf.zeros([5, 2]), W: tf.zeros([4, 3]) };
    expect(() => bindInputSizes(SIGNATURE, ['n'], inputs)).toThrow(new InputShapeError("input 'Z_t+1' gives d = 2, but d is 4 in input 'Z'"));
    tf.dispose(Object.values(inputs));
  });

  it('checks fixed dimensions and ranks', () => {
    const inputs = { Z: tf.zeros([5, 4]), 'Z_t+1': tf.zeros([5, 4]), W: tf.zeros([4, 2]) };
    expect(() => bindInputSizes(SIGNATURE, [], inputs)).toThrow("input 'W' should be matrix[d, 3], got an array of shape [4, 2]");
    const vector = { ...inputs, W: tf.zeros([4]) };
    expect(() => bindInputSizes(SIGNATURE, [], vector)).toThrow("input 'W' should be matrix[d, 3], got an array of shape [4]");
    tf.dispose([...Object.values(inputs), vector.W]);
  });

  it('treats a missing input, or an inherited non-tensor such as constructor, as not given', () => {
    expect(() => bindInputSizes([{ name: 'constructor', shape: ['n', 'd'] }], [], {})).toThrow(
      "input 'constructor' (matrix[n, d]) is not given, or is not a tf.Tensor",
    );
    expect(() => bindInputSizes(SIGNATURE, [], { Z: [[1]] })).toThrow("input 'Z' (matrix[n, d]) is not given, or is not a tf.Tensor");
  });

  it('rejects int32 and disposed tensors', () => {
    const Z = tf.zeros([5, 4], 'int32');
    expect(() => bindInputSizes([SIGNATURE[0]], [], { Z })).toThrow("input 'Z' should be float32, got int32");
    Z.dispose();
    const Y = tf.zeros([5, 4]);
    Y.dispose();
    expect(() => bindInputSizes([SIGNATURE[0]], [], { Z: Y })).toThrow("input 'Z' is a disposed tensor");
  });

  it('refuses to return a dimension no input binds', () => {
    const Z = tf.zeros([5, 4]);
    expect(() => bindInputSizes([SIGNATURE[0]], ['k'], { Z })).toThrow("dimension 'k' is not bound by any input's shape");
    Z.dispose();
  });
});
