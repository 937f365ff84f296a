import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../../../compiler/backends/onnx/protobuf.ts';

/** A wire-format reader written for this test from the protobuf encoding rules: field -> raw values. */
function readFields(bytes: Uint8Array): { field: number; wire: number; value: bigint | Uint8Array }[] {
  const out: { field: number; wire: number; value: bigint | Uint8Array }[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      out.push({ field, wire, value: bytes.slice(at, at + length) });
      at += length;
    } else if (wire === 5) {
      out.push({ field, wire, value: bytes.slice(at, at + 4) });
      at += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

function packedVarints(bytes: Uint8Array): bigint[] {
  // Each value re-tagged as field 1, varint, so that readFields decodes it.
  const values: bigint[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] & 0x80) === 0) {
      values.push(readFields(Uint8Array.from([0x08, ...bytes.slice(start, i + 1)]))[0].value as bigint);
      start = i + 1;
    }
  }
  return values;
}

describe('ProtoWriter', () => {
  it('writes the documented encodings', () => {
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    // int64 -1: ten bytes of two's complement.
    expect(Array.from(new ProtoWriter().int(1, -1).finish())).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(Array.from(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    expect(Array.from(new ProtoWriter().float(1, 1).finish())).toEqual([0x0d, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('round-trips any sequence of fields through an independent reader', () => {
    const field = fc.oneof(
      fc.record({ kind: fc.constant('int' as const), field: fc.integer({ min: 1, max: 5000 }), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
      fc.record({ kind: fc.constant('string' as const), field: fc.integer({ min: 1, max: 30 }), value: fc.string({ maxLength: 300 }) }),
      fc.record({ kind: fc.constant('ints' as const), field: fc.integer({ min: 1, max: 30 }), value: fc.array(fc.nat(), { maxLength: 50 }) }),
      fc.record({ kind: fc.constant('float' as const), field: fc.integer({ min: 1, max: 30 }), value: fc.float({ noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 20 }), fc.boolean(), (fields, nested) => {
        const write = (w: ProtoWriter) => {
          for (const f of fields) {
            if (f.kind === 'int') w.int(f.field, f.value);
            else if (f.kind === 'string') w.string(f.field, f.value);
            else if (f.kind === 'ints') w.packedInts(f.field, f.value);
            else w.float(f.field, f.value);
          }
        };
        let bytes = nested ? new ProtoWriter().message(7, write).finish() : (() => { const w = new ProtoWriter(); write(w); return w.finish(); })();
        if (nested) {
          const [outer] = readFields(bytes);
          expect(outer.field).toBe(7);
          bytes = outer.value as Uint8Array;
        }
        const read = readFields(bytes);
        expect(read).toHaveLength(fields.length);
        fields.forEach((f, i) => {
          expect(read[i].field).toBe(f.field);
          const value = read[i].value;
          if (f.kind === 'int') expect(BigInt.asIntN(64, value as bigint)).toBe(f.value);
          else if (f.kind === 'string') expect(new TextDecoder().decode(value as Uint8Array)).toBe(f.value);
          else if (f.kind === 'float') expect(new DataView((value as Uint8Array).buffer).getFloat32(0, true)).toBe(Math.fround(f.value));
          else expect(packedVarints(value as Uint8Array)).toEqual(f.value.map(BigInt));
        });
      }),
      { numRuns: 200 },
    );
  });
});
