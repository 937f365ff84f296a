import { describe, expect, it } from 'vitest';
import { bindStreams, parseStreamRef, slotsOf, sourcesOf, StreamBindingError } from '../../../runtime/model/bind-streams.ts';

describe('parseStreamRef', () => {
  it('reads plain names and time references', () => {
    expect(parseStreamRef('Z')).toEqual({ stream: 'Z', slot: 0 });
    expect(parseStreamRef('Z_t')).toEqual({ stream: 'Z', slot: 0 });
    expect(parseStreamRef('Z_t+1')).toEqual({ stream: 'Z', slot: 1 });
    expect(parseStreamRef('H_t-12')).toEqual({ stream: 'H', slot: -12 });
    expect(parseStreamRef('Z_tx')).toEqual({ stream: 'Z_tx', slot: 0 });
  });
});

describe('bindStreams', () => {
  it('binds Z, Z_t and Z_t+k to the run embedding at slots 0, 0, k', () => {
    const bindings = bindStreams(['Z', 'Z_t', 'Z_t+1', 'Z_t-2'], 'ehr');
    expect(bindings).toEqual([
      { input: 'Z', stream: 'Z', slot: 0 },
      { input: 'Z_t', stream: 'Z', slot: 0 },
      { input: 'Z_t+1', stream: 'Z', slot: 1 },
      { input: 'Z_t-2', stream: 'Z', slot: -2 },
    ]);
    expect(slotsOf(bindings)).toEqual([-2, 0, 1]);
  });

  it('binds the views Z_a, Z_b (also at later slots, and of E, T, F) to their stream with the view, each source once', () => {
    const bindings = bindStreams(['Z_b', 'Z_a', 'Z', 'Z_a_t+1'], 'ehr');
    expect(bindings).toEqual([
      { input: 'Z_b', stream: 'Z', slot: 0, view: 'b' },
      { input: 'Z_a', stream: 'Z', slot: 0, view: 'a' },
      { input: 'Z', stream: 'Z', slot: 0 },
      { input: 'Z_a_t+1', stream: 'Z', slot: 1, view: 'a' },
    ]);
    expect(sourcesOf(bindings)).toEqual([{ slot: 0 }, { slot: 0, view: 'a' }, { slot: 0, view: 'b' }, { slot: 1, view: 'a' }]);
    expect(bindStreams(['E_a', 'F_b'], 'multimodal').map((b) => `${b.stream}:${b.view}`)).toEqual(['E:a', 'F:b']);
    expect(() => bindStreams(['Q_a'], 'ehr')).toThrow('and two augmented views of each (Z_a, Z_b, ...)');
    expect(() => bindStreams(['Z_c'], 'ehr')).toThrow(StreamBindingError);
  });

  it('exposes E, T and F in multimodal runs only', () => {
    expect(bindStreams(['E_t', 'T_t+1', 'F'], 'multimodal').map((b) => `${b.stream}@${b.slot}`)).toEqual(['E@0', 'T@1', 'F@0']);
    expect(() => bindStreams(['E'], 'text')).toThrow(StreamBindingError);
  });

  it('renames by stream or by whole input name', () => {
    expect(bindStreams(['H_t', 'H_t+1'], 'ehr', { H: 'Z' }).map((b) => `${b.input}->${b.stream}@${b.slot}`)).toEqual(['H_t->Z@0', 'H_t+1->Z@1']);
    expect(bindStreams(['now', 'later'], 'multimodal', { now: 'E_t', later: 'T_t+2' }).map((b) => `${b.stream}@${b.slot}`)).toEqual(['E@0', 'T@2']);
    expect(() => bindStreams(['H_t'], 'ehr', { H: 'Z_t+1' })).toThrow("rename 'H' -> 'Z_t+1' must name a stream, not a time reference");
  });

  it('lists the available streams for every input that has none', () => {
    let error: unknown;
    try {
      bindStreams(['Z_t', 'Q_t', 'E'], 'ehr');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StreamBindingError);
    const e = error as StreamBindingError;
    expect(e.inputs).toEqual(['Q_t', 'E']);
    expect(e.available).toEqual(['Z']);
    expect(e.message).toBe(
      "objective input 'Q_t' has no embedding stream: this ehr run provides Z (as Z, Z_t, Z_t+1, ...), and two augmented views of each (Z_a, Z_b, ...)\n" +
        "objective input 'E' has no embedding stream: this ehr run provides Z (as Z, Z_t, Z_t+1, ...), and two augmented views of each (Z_a, Z_b, ...)\n" +
        'bind an input to a stream of this run with --rename Q=Z (or "rename": {"Q": "Z"} in dflc.json)',
    );
    expect(() => bindStreams(['G'], 'multimodal')).toThrow(
      "objective input 'G' has no embedding stream: this multimodal run provides Z (as Z, Z_t, Z_t+1, ...), E (as E, E_t, E_t+1, ...), T (as T, T_t, T_t+1, ...), F (as F, F_t, F_t+1, ...)",
    );
    expect(() => bindStreams(['H'], 'ehr', { H: 'W' })).toThrow("objective input 'H' (renamed to W) has no embedding stream");
  });

  it('suggests the modality whose streams the inputs are before a rename', () => {
    expect(() => bindStreams(['E', 'T_t', 'Z'], 'ehr')).toThrow(
      "objective input 'T_t' has no embedding stream: this ehr run provides Z (as Z, Z_t, Z_t+1, ...), and two augmented views of each (Z_a, Z_b, ...)\n" +
        'E, T are streams of multimodal runs: run with --modality multimodal, or bind each to a stream of this run with --rename E=Z (or "rename": {"E": "Z"} in dflc.json)',
    );
    expect(() => bindStreams(['F'], 'text')).toThrow('F is a stream of multimodal runs: run with --modality multimodal, or bind it');
    expect(() => bindStreams(['H_t'], 'ehr', { H: 'W' })).toThrow("objective input 'H_t' (renamed to stream W) has no embedding stream");
  });
});
