import fc from 'fast-check';

/**
 * Property tests draw new random cases on every local run, so that they keep exploring; under CI
 * (CI=true) they use one fixed seed, so that a submission's result does not depend on the draw.
 * FC_SEED overrides it, e.g. to replay a failure a local run reported.
 */
const seed = process.env.FC_SEED ?? (process.env.CI ? '20261125' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
