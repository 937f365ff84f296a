import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cohort } from '../data/cohort.ts';
import { NO_SPLIT } from '../data/meds-schema.ts';
import type { EmbedAt } from '../eval/eval-result.ts';
import { atomicWrite } from '../io/atomic-write.ts';
import { formatNpy } from '../io/npy.ts';
import type { Embedding } from './embed-cohort.ts';

/**
 * What `dflc embed` writes into its output folder (each file atomically):
 *   embeddings.npy                 float32 [rows, dim]: Z, the run's embedding
 *   embeddings_E.npy, _T.npy       multimodal runs: the EHR and text encoders' embeddings
 *   subject_ids.npy                int64 [rows]: MEDS subject_id of each row
 *   times.npy                      int64 [rows]: the window's end, µs since 1970 (the prediction time)
 *   splits.npy                     int32 [rows]: 0 train, 1 tuning, 2 held_out, -1 none
 *   window_index.npy               int32 [rows], --at all-windows only: t, from the subject's first window
 *   embed.json                     what was embedded: the run, the data, --at, rows, dim, the files
 */
export interface EmbedManifest {
  readonly format: 'dflc-embed';
  readonly run: string;
  readonly data: string;
  readonly at: EmbedAt;
  readonly rows: number;
  readonly dim: number;
  readonly files: Readonly<Record<string, string>>;
  readonly created: string;
}

export async function writeEmbedding(out: string, embedding: Embedding, cohort: Cohort, meta: Pick<EmbedManifest, 'run' | 'data' | 'at'>): Promise<EmbedManifest> {
  await mkdir(out, { recursive: true });
  const { points } = embedding;
  const rows = points.subject.length;
  const files: Record<string, string> = {};
  const write = async (key: string, name: string, bytes: Uint8Array): Promise<void> => {
    await atomicWrite(join(out, name), bytes);
    files[key] = name;
  };
  let dim = 0;
  for (const [stream, { data, dim: d }] of embedding.streams) {
    dim = stream === 'Z' ? d : dim;
    await write(stream, stream === 'Z' ? 'embeddings.npy' : `embeddings_${stream}.npy`, formatNpy({ dtype: 'float32', shape: [rows, d], data }));
  }
  const int64 = (values: ArrayLike<number>): Uint8Array => formatNpy({ dtype: 'int64', shape: [values.length], data: BigInt64Array.from(Array.from(values), (v) => BigInt(v)) });
  await write('subject_ids', 'subject_ids.npy', int64(Array.from(points.subject, (s) => cohort.subjects.id[s])));
  await write('times', 'times.npy', int64(points.time));
  const splits = Int32Array.from(points.subject, (s) => (cohort.subjects.split[s] === NO_SPLIT ? -1 : cohort.subjects.split[s]));
  await write('splits', 'splits.npy', formatNpy({ dtype: 'int32', shape: [rows], data: splits }));
  if (points.windowIndex !== null) await write('window_index', 'window_index.npy', formatNpy({ dtype: 'int32', shape: [rows], data: points.windowIndex }));
  const manifest: EmbedManifest = { format: 'dflc-embed', ...meta, rows, dim, files, created: new Date().toISOString() };
  await atomicWrite(join(out, 'embed.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
