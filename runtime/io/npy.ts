/**
 * NumPy `.npy` arrays (format versions 1 to 3), the format every dflc array travels in so that
 * Python users can load it. Only little-endian float32/float64/int32/int64, C order.
 */

export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64';

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  /** float32/float64/int32 as numbers; int64 as a BigInt64Array. */
  readonly data: Float32Array | Float64Array | Int32Array | BigInt64Array;
}

export class NpyError extends Error {
  override name = 'NpyError';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR: Record<string, NpyDtype> = { '<f4': 'float32', '<f8': 'float64', '<i4': 'int32', '<i8': 'int64' };
const DESCR_OF: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8', int32: '<i4', int64: '<i8' };
const BYTES: Record<NpyDtype, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };

function headerField(header: string, field: string): string | undefined {
  const match = new RegExp(`['"]${field}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header);
  return match?.[1];
}

/** Decodes `.npy` bytes; throws NpyError with a message a user can act on. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new NpyError('not a NumPy .npy file (bad magic string)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) throw new NpyError('truncated .npy header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = headerField(header, 'descr')?.slice(1, -1);
  const fortran = headerField(header, 'fortran_order');
  const shapeText = headerField(header, 'shape');
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`unreadable .npy header: ${header.trim()}`);
  }
  const dtype = DESCR[descr === '|f8' ? '<f8' : descr];
  if (dtype === undefined) {
    throw new NpyError(`unsupported dtype '${descr}' (dflc reads little-endian float32, float64, int32 and int64)`);
  }
  if (fortran === 'True') throw new NpyError('array is in Fortran order; save it in C order (np.ascontiguousarray)');
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`bad shape ${shapeText}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLen;
  const need = count * BYTES[dtype];
  if (bytes.length - start < need) {
    throw new NpyError(`truncated data: shape (${shape.join(', ')}) needs ${need} bytes, file has ${bytes.length - start}`);
  }
  // Copy so that the result is aligned and independent of the input buffer.
  // (Node's Buffer.slice is a view, not a copy: build a fresh Uint8Array explicitly.)
  const raw = new Uint8Array(bytes.subarray(start, start + need)).buffer;
  const data =
    dtype === 'float32'
      ? new Float32Array(raw)
      : dtype === 'float64'
        ? new Float64Array(raw)
        : dtype === 'int32'
          ? new Int32Array(raw)
          : new BigInt64Array(raw);
  return { dtype, shape, data };
}

/** Encodes an array as version-1 `.npy` bytes. */
export function formatNpy(array: NpyArray): Uint8Array {
  const shapeText = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DESCR_OF[array.dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // The header block (magic + version + length + header + '\n') is padded to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const data = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}
