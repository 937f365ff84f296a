import { Rng } from '../prng.ts';
import {
  CKD_PREFIX,
  COPD_EXACERBATION,
  COPD_EXACERBATION_DESCRIPTION,
  DIAGNOSES,
  LABS,
  MEDICATIONS,
  VISIT_CODES,
  VISIT_DESCRIPTIONS,
  type EmissionRule,
  type LabSpec,
} from './clinical-codes.ts';
import { DIM } from './latent-model.ts';

/**
 * The synthetic cohort's code vocabulary: the curated codes of clinical-codes.ts plus a long tail
 * of rare codes (ICD-10-CM, ATC and LOINC shaped), each tail group tied to a latent dimension and
 * drawn with Zipf frequencies, so that code counts are long-tailed as in real EHR data.
 *
 * The vocabulary is the same for every cohort (generated from a fixed seed), so models trained on
 * one synthetic cohort read another.
 */
export interface TailGroup {
  /** The latent dimension that makes this group's codes more frequent. */
  readonly dim: number;
  /** Vocabulary indices of the group's codes, most frequent first. */
  readonly codes: Int32Array;
  /** Cumulative Zipf weights over `codes`, for Rng.pick. */
  readonly cumulative: Float64Array;
}

export interface IndexedRule extends EmissionRule {
  readonly index: number;
}

export interface IndexedLab extends LabSpec {
  readonly index: number;
}

export interface SynthVocabulary {
  readonly codes: readonly string[];
  readonly descriptions: readonly string[];
  readonly parents: readonly (readonly string[])[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly diagnoses: readonly IndexedRule[];
  readonly medications: readonly IndexedRule[];
  readonly labs: { readonly [K in keyof typeof LABS]: IndexedLab };
  readonly tailDiagnoses: readonly TailGroup[];
  readonly tailMedications: readonly TailGroup[];
  readonly tailLabs: readonly TailGroup[];
  /** Vocabulary indices of VISIT_CODES. */
  readonly visit: { readonly [K in keyof typeof VISIT_CODES]: number };
  readonly copdExacerbation: number;
  /** Which vocabulary indices are chronic kidney disease codes (the onset task). */
  readonly isCkd: Uint8Array;
}

const VOCABULARY_SEED = 0x5eed_c0de;
const ZIPF_EXPONENT = 1.1;

const ICD_CHAPTERS: [letter: string, name: string, dim: number][] = [
  ['A', 'Certain infectious and parasitic diseases', DIM.infection],
  ['B', 'Viral and other infectious diseases', DIM.infection],
  ['C', 'Malignant neoplasms', DIM.frailty],
  ['D', 'Diseases of the blood and blood-forming organs', DIM.renal],
  ['E', 'Endocrine, nutritional and metabolic diseases', DIM.glycemic],
  ['F', 'Mental and behavioural disorders', DIM.mental],
  ['G', 'Diseases of the nervous system', DIM.frailty],
  ['H', 'Diseases of the eye, ear and mastoid process', DIM.age],
  ['I', 'Diseases of the circulatory system', DIM.cardiac],
  ['J', 'Diseases of the respiratory system', DIM.pulmonary],
  ['K', 'Diseases of the digestive system', DIM.hepatic],
  ['L', 'Diseases of the skin and subcutaneous tissue', DIM.infection],
  ['M', 'Diseases of the musculoskeletal system', DIM.age],
  ['N', 'Diseases of the genitourinary system', DIM.renal],
  ['R', 'Symptoms, signs and abnormal findings', DIM.utilization],
  ['S', 'Injuries', DIM.injury],
  ['Z', 'Factors influencing health status', DIM.utilization],
];

const ATC_GROUPS: [letter: string, name: string, dim: number][] = [
  ['A', 'alimentary tract and metabolism', DIM.glycemic],
  ['B', 'blood and blood forming organs', DIM.cardiac],
  ['C', 'cardiovascular system', DIM.cardiac],
  ['D', 'dermatologicals', DIM.infection],
  ['G', 'genito-urinary system', DIM.renal],
  ['J', 'antiinfectives for systemic use', DIM.infection],
  ['L', 'antineoplastic and immunomodulating agents', DIM.frailty],
  ['M', 'musculo-skeletal system', DIM.injury],
  ['N', 'nervous system', DIM.mental],
  ['R', 'respiratory system', DIM.pulmonary],
];

const LOINC_GROUPS: [name: string, dim: number][] = [
  ['chemistry', DIM.renal],
  ['hematology', DIM.infection],
  ['hepatic panel', DIM.hepatic],
  ['cardiac markers', DIM.cardiac],
  ['endocrine', DIM.glycemic],
  ['pulmonary function', DIM.pulmonary],
];

const ICD_PER_CHAPTER = 90;
const ATC_PER_GROUP = 18;
const LOINC_PER_GROUP = 14;

let cached: SynthVocabulary | undefined;

/** The vocabulary (built once; it depends on nothing but constants). */
export function synthVocabulary(): SynthVocabulary {
  cached ??= buildVocabulary();
  return cached;
}

function buildVocabulary(): SynthVocabulary {
  const rng = Rng.from(VOCABULARY_SEED);
  const codes: string[] = [];
  const descriptions: string[] = [];
  const parents: string[][] = [];
  const indexOf = new Map<string, number>();
  const add = (code: string, description: string, parent: string[]): number => {
    const found = indexOf.get(code);
    if (found !== undefined) return found;
    indexOf.set(code, codes.length);
    codes.push(code);
    descriptions.push(description);
    parents.push(parent);
    return codes.length - 1;
  };

  const visit = Object.fromEntries(
    Object.entries(VISIT_CODES).map(([key, code]) => [key, add(code, VISIT_DESCRIPTIONS[code], [])]),
  ) as { [K in keyof typeof VISIT_CODES]: number };
  const icdParent = (code: string): string[] => [code.slice(0, code.indexOf('.') < 0 ? code.length : code.indexOf('.'))];
  const atcParent = (code: string): string[] => [code.slice(0, 'ATC//'.length + 5)];
  const diagnoses = DIAGNOSES.map((r) => ({ ...r, index: add(r.code, r.description, icdParent(r.code)) }));
  const copdExacerbation = add(COPD_EXACERBATION, COPD_EXACERBATION_DESCRIPTION, icdParent(COPD_EXACERBATION));
  const medications = MEDICATIONS.map((r) => ({ ...r, index: add(r.code, r.description, atcParent(r.code)) }));
  const labs = Object.fromEntries(
    Object.entries(LABS).map(([key, spec]) => [key, { ...spec, index: add(spec.code, spec.description, []) }]),
  ) as unknown as SynthVocabulary['labs'];

  const digits = (n: number): string => String(rng.int(10 ** n)).padStart(n, '0');
  const letters = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + rng.int(26))).join('');
  const group = (dim: number, make: () => [string, string, string[]], size: number): TailGroup => {
    const members: number[] = [];
    while (members.length < size) {
      const [code, description, parent] = make();
      // Never collide with curated or earlier codes, nor add to the onset task's CKD family.
      if (indexOf.has(code) || code.startsWith(CKD_PREFIX)) continue;
      members.push(add(code, description, parent));
    }
    const cumulative = new Float64Array(size);
    let total = 0;
    for (let r = 0; r < size; r++) cumulative[r] = total += 1 / (r + 1) ** ZIPF_EXPONENT;
    return { dim, codes: Int32Array.from(members), cumulative };
  };

  const tailDiagnoses = ICD_CHAPTERS.map(([letter, name, dim]) =>
    group(
      dim,
      () => {
        const code = `ICD10CM//${letter}${digits(2)}.${digits(1 + rng.int(2))}`;
        return [code, `${name}: other specified condition (synthetic)`, icdParent(code)];
      },
      ICD_PER_CHAPTER,
    ),
  );
  const tailMedications = ATC_GROUPS.map(([letter, name, dim]) =>
    group(
      dim,
      () => {
        const code = `ATC//${letter}${digits(2)}${letters(2)}${digits(2)}`;
        return [code, `${name}: other agent (synthetic)`, atcParent(code)];
      },
      ATC_PER_GROUP,
    ),
  );
  const tailLabs = LOINC_GROUPS.map(([name, dim]) =>
    group(
      dim,
      () => {
        const code = `LOINC//${10000 + rng.int(89999)}-${rng.int(10)}`;
        return [code, `${name}: other measurement (synthetic)`, []];
      },
      LOINC_PER_GROUP,
    ),
  );

  const isCkd = new Uint8Array(codes.length);
  codes.forEach((code, i) => (isCkd[i] = code.startsWith(CKD_PREFIX) ? 1 : 0));
  return {
    codes,
    descriptions,
    parents,
    indexOf,
    diagnoses,
    medications,
    labs,
    tailDiagnoses,
    tailMedications,
    tailLabs,
    visit,
    copdExacerbation,
    isCkd,
  };
}
