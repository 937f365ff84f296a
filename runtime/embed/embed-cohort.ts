import type { Cohort } from '../data/cohort.ts';
import type { Executor } from '../executors/executor.ts';
import { embedWithEncoder, type TrainedEncoder } from '../train/outputs/trained-encoder.ts';
import type { EmbedPoints } from './embed-points.ts';

/** The streams `dflc embed` writes: Z always; E and T (the encoders before fusion) for multimodal runs. */
export type EmbedStream = 'Z' | 'E' | 'T';

export interface Embedding {
  readonly points: EmbedPoints;
  /** Row-major [rows, dim] float32 per stream, rows in the order of `points`. */
  readonly streams: ReadonlyMap<EmbedStream, { readonly data: Float32Array; readonly dim: number }>;
}

export function streamsToEmbed(encoder: TrainedEncoder): EmbedStream[] {
  return encoder.config.modality === 'multimodal' ? ['Z', 'E', 'T'] : ['Z'];
}

/** Embeds every row of `points` with a trained encoder, each stream of `streams`. */
export async function embedCohort(
  encoder: TrainedEncoder,
  executor: Executor,
  cohort: Cohort,
  points: EmbedPoints,
  streams: readonly EmbedStream[] = streamsToEmbed(encoder),
): Promise<Embedding> {
  const rows = await embedWithEncoder(encoder, executor, cohort, points.windows, points.window, points.subject, streams.map((stream) => `embed:${stream}`));
  return { points, streams: new Map(streams.map((stream) => [stream, rows.get(`embed:${stream}`)!])) };
}
