import { join } from 'node:path';

/**
 * What `dflc experiment` trains: for each modality and seed, the card's dense objective and the
 * baselines of the comparison, each a DFL file that ships in examples/. A baseline whose file is
 * not there is listed as missing and not run: the table never shows a number for an objective
 * that was not trained.
 */
export const MODALITIES = ['ehr', 'text', 'multimodal'] as const;
export type Modality = (typeof MODALITIES)[number];

export interface ExperimentObjective {
  readonly name: string;
  /** The objective file, relative to the package root. */
  readonly file: string;
  readonly explain: string;
  /** Extra `dflc run` flags; `{task}` stands for the supervised task. */
  readonly runFlags: readonly string[];
}

export const EXPERIMENT_OBJECTIVES: readonly ExperimentObjective[] = [
  { name: 'card', file: 'examples/card.dfl', explain: "the card's dense objective", runFlags: [] },
  { name: 'supervised', file: 'examples/baselines/supervised.dfl', explain: 'logistic loss of a linear head on the supervised task', runFlags: ['--label', 'Y={task}'] },
  { name: 'vicreg', file: 'examples/baselines/vicreg.dfl', explain: 'VICReg (Bardes et al. 2022)', runFlags: [] },
  { name: 'barlow', file: 'examples/baselines/barlow.dfl', explain: 'Barlow Twins (Zbontar et al. 2021)', runFlags: [] },
  { name: 'random', file: 'examples/card.dfl', explain: 'the untrained encoder (dflc run --steps 0)', runFlags: ['--steps', '0'] },
];

export interface PlannedRun {
  readonly objective: ExperimentObjective;
  readonly modality: Modality;
  readonly seed: number;
  /** The run folder. */
  readonly dir: string;
  /** The `dflc run` arguments (file, settings, --out). */
  readonly args: readonly string[];
}

export interface ExperimentPlan {
  readonly runs: readonly PlannedRun[];
  readonly missing: readonly ExperimentObjective[];
}

export interface PlanOptions {
  readonly modalities: readonly Modality[];
  readonly seeds: number;
  readonly out: string;
  /** The package root, where examples/ is. */
  readonly root: string;
  /** The dataset folder passed to every run. */
  readonly data: string;
  readonly task: string;
  /** `dflc run` settings shared by every run (e.g. --epochs 3). */
  readonly settings: readonly string[];
  readonly exists: (path: string) => boolean;
}

/** Every run, modality by modality, then seed, then objective (so each modality's table fills in together). */
export function planExperiment(options: PlanOptions): ExperimentPlan {
  const present = EXPERIMENT_OBJECTIVES.filter((o) => options.exists(join(options.root, o.file)));
  const missing = EXPERIMENT_OBJECTIVES.filter((o) => !present.includes(o));
  const runs: PlannedRun[] = [];
  for (const modality of options.modalities) {
    for (let seed = 0; seed < options.seeds; seed++) {
      for (const objective of present) {
        const dir = join(options.out, 'runs', modality, `${objective.name}-seed${seed}`);
        const args = [
          join(options.root, objective.file),
          '--data', options.data,
          '--modality', modality,
          '--seed', String(seed),
          ...options.settings,
          ...objective.runFlags.map((f) => f.replace('{task}', options.task)),
          '--out', dir,
        ];
        runs.push({ objective, modality, seed, dir, args });
      }
    }
  }
  return { runs, missing };
}
