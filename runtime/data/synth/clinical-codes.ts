import { DIM } from './latent-model.ts';

/**
 * The curated part of the synthetic vocabulary: real-looking ICD-10-CM diagnoses, LOINC labs and
 * vitals, ATC medications, each tied to the latent dimension that drives it. (The long tail of
 * rare codes is generated in vocabulary.ts.) Codes are written MEDS-style, `VOCABULARY//CODE`.
 */

/**
 * A code emitted at a visit with probability `rate * sigmoid(slope * (z[dim] - threshold))`, so
 * severity stages appear in order (N18.3 before N18.4 before N18.5) as the process worsens.
 */
export interface EmissionRule {
  readonly code: string;
  readonly description: string;
  readonly dim: number;
  readonly threshold: number;
  readonly slope: number;
  readonly rate: number;
}

const rule = (code: string, description: string, dim: number, threshold: number, rate = 0.8, slope = 3): EmissionRule => ({
  code,
  description,
  dim,
  threshold,
  slope,
  rate,
});

export const DIAGNOSES: readonly EmissionRule[] = [
  rule('ICD10CM//E11.9', 'Type 2 diabetes mellitus without complications', DIM.glycemic, 0.9),
  rule('ICD10CM//E11.65', 'Type 2 diabetes mellitus with hyperglycemia', DIM.glycemic, 1.8, 0.6),
  rule('ICD10CM//E11.22', 'Type 2 diabetes mellitus with diabetic chronic kidney disease', DIM.glycemic, 2.2, 0.5),
  rule('ICD10CM//E11.40', 'Type 2 diabetes mellitus with diabetic neuropathy, unspecified', DIM.glycemic, 2.4, 0.4),
  rule('ICD10CM//R73.03', 'Prediabetes', DIM.glycemic, 0.3, 0.35),
  rule('ICD10CM//E78.5', 'Hyperlipidemia, unspecified', DIM.adiposity, 0.3, 0.45),
  rule('ICD10CM//I10', 'Essential (primary) hypertension', DIM.cardiac, 0.2, 0.8),
  rule('ICD10CM//I50.9', 'Heart failure, unspecified', DIM.cardiac, 1.6, 0.7),
  rule('ICD10CM//I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris', DIM.cardiac, 1.1, 0.5),
  rule('ICD10CM//I48.91', 'Unspecified atrial fibrillation', DIM.cardiac, 1.4, 0.5),
  rule('ICD10CM//I11.0', 'Hypertensive heart disease with heart failure', DIM.cardiac, 2.0, 0.4),
  rule('ICD10CM//R80.9', 'Proteinuria, unspecified', DIM.renal, 0.8, 0.3),
  rule('ICD10CM//N28.9', 'Disorder of kidney and ureter, unspecified', DIM.renal, 1.0, 0.2),
  rule('ICD10CM//N18.3', 'Chronic kidney disease, stage 3 (moderate)', DIM.renal, 1.9, 0.45),
  rule('ICD10CM//N18.4', 'Chronic kidney disease, stage 4 (severe)', DIM.renal, 2.5, 0.6),
  rule('ICD10CM//N18.5', 'Chronic kidney disease, stage 5', DIM.renal, 3.0, 0.7),
  rule('ICD10CM//N18.9', 'Chronic kidney disease, unspecified', DIM.renal, 2.1, 0.2),
  rule('ICD10CM//J44.9', 'Chronic obstructive pulmonary disease, unspecified', DIM.pulmonary, 1.1, 0.75),
  rule('ICD10CM//J45.909', 'Unspecified asthma, uncomplicated', DIM.pulmonary, 0.6, 0.25),
  rule('ICD10CM//R06.02', 'Shortness of breath', DIM.pulmonary, 1.5, 0.35),
  rule('ICD10CM//Z87.891', 'Personal history of nicotine dependence', DIM.pulmonary, 0.5, 0.3),
  rule('ICD10CM//K76.0', 'Fatty (change of) liver, not elsewhere classified', DIM.hepatic, 0.8, 0.5),
  rule('ICD10CM//K74.60', 'Unspecified cirrhosis of liver', DIM.hepatic, 2.0, 0.7),
  rule('ICD10CM//K70.30', 'Alcoholic cirrhosis of liver without ascites', DIM.hepatic, 2.3, 0.4),
  rule('ICD10CM//F10.20', 'Alcohol dependence, uncomplicated', DIM.hepatic, 1.5, 0.3),
  rule('ICD10CM//F32.9', 'Major depressive disorder, single episode, unspecified', DIM.mental, 1.0, 0.7),
  rule('ICD10CM//F33.1', 'Major depressive disorder, recurrent, moderate', DIM.mental, 1.9, 0.5),
  rule('ICD10CM//F41.1', 'Generalized anxiety disorder', DIM.mental, 1.2, 0.45),
  rule('ICD10CM//G47.00', 'Insomnia, unspecified', DIM.mental, 0.9, 0.25),
  rule('ICD10CM//J18.9', 'Pneumonia, unspecified organism', DIM.infection, 1.4, 0.8),
  rule('ICD10CM//N39.0', 'Urinary tract infection, site not specified', DIM.infection, 1.0, 0.4),
  rule('ICD10CM//A41.9', 'Sepsis, unspecified organism', DIM.infection, 2.8, 0.8),
  rule('ICD10CM//L03.90', 'Cellulitis, unspecified', DIM.infection, 1.2, 0.25),
  rule('ICD10CM//J06.9', 'Acute upper respiratory infection, unspecified', DIM.infection, 0.6, 0.35),
  rule('ICD10CM//I21.4', 'Non-ST elevation (NSTEMI) myocardial infarction', DIM.acute_cardiac, 2.5, 0.8),
  rule('ICD10CM//I20.0', 'Unstable angina', DIM.acute_cardiac, 1.6, 0.6),
  rule('ICD10CM//R07.9', 'Chest pain, unspecified', DIM.acute_cardiac, 0.8, 0.6),
  rule('ICD10CM//I50.23', 'Acute on chronic systolic (congestive) heart failure', DIM.acute_cardiac, 2.2, 0.5),
  rule('ICD10CM//W19.XXXA', 'Unspecified fall, initial encounter', DIM.injury, 1.0, 0.7),
  rule('ICD10CM//S72.001A', 'Fracture of unspecified part of neck of right femur, initial encounter', DIM.injury, 2.6, 0.6),
  rule('ICD10CM//S06.0X0A', 'Concussion without loss of consciousness, initial encounter', DIM.injury, 2.0, 0.35),
  rule('ICD10CM//S52.501A', 'Unspecified fracture of the lower end of right radius, initial encounter', DIM.injury, 1.8, 0.35),
  rule('ICD10CM//K92.2', 'Gastrointestinal hemorrhage, unspecified', DIM.gi_acute, 2.3, 0.7),
  rule('ICD10CM//E86.0', 'Dehydration', DIM.gi_acute, 1.2, 0.5),
  rule('ICD10CM//K52.9', 'Noninfective gastroenteritis and colitis, unspecified', DIM.gi_acute, 1.0, 0.4),
  rule('ICD10CM//R11.2', 'Nausea with vomiting, unspecified', DIM.gi_acute, 0.8, 0.4),
  rule('ICD10CM//K85.90', 'Acute pancreatitis without necrosis or infection, unspecified', DIM.gi_acute, 2.8, 0.3),
  rule('ICD10CM//E66.9', 'Obesity, unspecified', DIM.adiposity, 0.9, 0.6),
  rule('ICD10CM//E66.01', 'Morbid (severe) obesity due to excess calories', DIM.adiposity, 1.9, 0.6),
  rule('ICD10CM//R54', 'Age-related physical debility', DIM.frailty, 1.5, 0.5),
  rule('ICD10CM//Z74.09', 'Other reduced mobility', DIM.frailty, 1.8, 0.35),
  rule('ICD10CM//R26.81', 'Unsteadiness on feet', DIM.frailty, 1.2, 0.3),
  rule('ICD10CM//Z91.81', 'History of falling', DIM.frailty, 1.6, 0.3),
];

/** The onset task's diagnosis family: any chronic kidney disease code. */
export const CKD_PREFIX = 'ICD10CM//N18.';
/** The COPD exacerbation task's code, and the code that stands in for it where the task forbids it. */
export const COPD_EXACERBATION = 'ICD10CM//J44.1';
export const COPD_EXACERBATION_DESCRIPTION = 'Chronic obstructive pulmonary disease with (acute) exacerbation';

export const MEDICATIONS: readonly EmissionRule[] = [
  rule('ATC//A10BA02', 'metformin', DIM.glycemic, 0.8, 0.85),
  rule('ATC//A10AE04', 'insulin glargine', DIM.glycemic, 1.9, 0.8),
  rule('ATC//A10BJ06', 'semaglutide', DIM.glycemic, 1.4, 0.3),
  rule('ATC//C10AA05', 'atorvastatin', DIM.cardiac, 0.6, 0.6),
  rule('ATC//C09AA05', 'ramipril', DIM.cardiac, 0.7, 0.6),
  rule('ATC//C03CA01', 'furosemide', DIM.cardiac, 1.6, 0.75),
  rule('ATC//C07AB07', 'bisoprolol', DIM.cardiac, 1.2, 0.6),
  rule('ATC//B01AF02', 'apixaban', DIM.cardiac, 1.7, 0.5),
  rule('ATC//B01AC06', 'acetylsalicylic acid', DIM.acute_cardiac, 0.8, 0.7),
  rule('ATC//B03XA01', 'erythropoietin', DIM.renal, 2.4, 0.6),
  rule('ATC//R03AC02', 'salbutamol', DIM.pulmonary, 0.7, 0.7),
  rule('ATC//R03BB04', 'tiotropium bromide', DIM.pulmonary, 1.4, 0.6),
  rule('ATC//H02AB06', 'prednisolone', DIM.pulmonary, 2.2, 0.4),
  rule('ATC//N06AB06', 'sertraline', DIM.mental, 1.0, 0.75),
  rule('ATC//N05BA12', 'alprazolam', DIM.mental, 1.7, 0.3),
  rule('ATC//A06AD11', 'lactulose', DIM.hepatic, 1.9, 0.6),
  rule('ATC//C03DA01', 'spironolactone', DIM.hepatic, 1.6, 0.5),
  rule('ATC//A02BC01', 'omeprazole', DIM.gi_acute, 0.8, 0.6),
  rule('ATC//J01CA04', 'amoxicillin', DIM.infection, 0.9, 0.6),
  rule('ATC//J01DD04', 'ceftriaxone', DIM.infection, 1.8, 0.7),
  rule('ATC//N02BE01', 'paracetamol', DIM.injury, 0.6, 0.6),
  rule('ATC//N02AA01', 'morphine', DIM.injury, 1.8, 0.4),
  rule('ATC//H03AA01', 'levothyroxine sodium', DIM.sex, 0, 0.06, 1),
];

/** A lab or vital: value = transform(mean + weights . z + sd * noise), rounded to `decimals`. */
export interface LabSpec {
  readonly code: string;
  readonly description: string;
  readonly mean: number;
  readonly weights: readonly (readonly [number, number])[];
  readonly sd: number;
  /** Log-normal labs are modelled on the log scale. */
  readonly log: boolean;
  readonly decimals: number;
  readonly min: number;
  readonly max: number;
}

const lab = (
  code: string,
  description: string,
  mean: number,
  weights: [number, number][],
  sd: number,
  decimals: number,
  [min, max]: [number, number],
  log = false,
): LabSpec => ({ code, description, mean: log ? Math.log(mean) : mean, weights, sd, log, decimals, min, max });

export const LABS = {
  hba1c: lab('LOINC//4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood (%)', 5.5, [[DIM.glycemic, 0.9], [DIM.adiposity, 0.15]], 0.25, 1, [4, 15]),
  glucose: lab('LOINC//2345-7', 'Glucose [Mass/volume] in Serum or Plasma (mg/dL)', 100, [[DIM.glycemic, 28], [DIM.infection, 8]], 12, 0, [40, 600]),
  creatinine: lab('LOINC//2160-0', 'Creatinine [Mass/volume] in Serum or Plasma (mg/dL)', 0.9, [[DIM.renal, 0.28], [DIM.gi_acute, 0.1], [DIM.sex, -0.08]], 0.08, 2, [0.3, 12], true),
  bun: lab('LOINC//3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma (mg/dL)', 16, [[DIM.renal, 6], [DIM.gi_acute, 3], [DIM.cardiac, 1.5]], 3, 0, [3, 150]),
  sodium: lab('LOINC//2951-2', 'Sodium [Moles/volume] in Serum or Plasma (mmol/L)', 139, [[DIM.hepatic, -1.5], [DIM.cardiac, -1], [DIM.gi_acute, -1]], 2, 0, [115, 160]),
  potassium: lab('LOINC//2823-3', 'Potassium [Moles/volume] in Serum or Plasma (mmol/L)', 4.2, [[DIM.renal, 0.25]], 0.3, 1, [2.5, 7.5]),
  hemoglobin: lab('LOINC//718-7', 'Hemoglobin [Mass/volume] in Blood (g/dL)', 13.8, [[DIM.sex, -0.7], [DIM.renal, -0.5], [DIM.gi_acute, -1.1], [DIM.hepatic, -0.3]], 0.8, 1, [5, 19]),
  wbc: lab('LOINC//6690-2', 'Leukocytes [#/volume] in Blood (10*3/uL)', 7, [[DIM.infection, 0.25]], 0.15, 1, [1, 40], true),
  platelets: lab('LOINC//777-3', 'Platelets [#/volume] in Blood (10*3/uL)', 250, [[DIM.hepatic, -30], [DIM.infection, 20]], 40, 0, [20, 700]),
  alt: lab('LOINC//1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma (U/L)', 25, [[DIM.hepatic, 0.35], [DIM.adiposity, 0.1]], 0.25, 0, [5, 2000], true),
  bilirubin: lab('LOINC//1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma (mg/dL)', 0.7, [[DIM.hepatic, 0.4]], 0.2, 1, [0.1, 30], true),
  ntprobnp: lab('LOINC//33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma (pg/mL)', 120, [[DIM.cardiac, 0.9], [DIM.renal, 0.3], [DIM.acute_cardiac, 0.5]], 0.4, 0, [5, 35000], true),
  crp: lab('LOINC//1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma (mg/L)', 3, [[DIM.infection, 0.8], [DIM.adiposity, 0.2]], 0.5, 1, [0.1, 400], true),
  lactate: lab('LOINC//2524-7', 'Lactate [Moles/volume] in Blood (mmol/L)', 1.1, [[DIM.infection, 0.3]], 0.2, 1, [0.3, 15], true),
  cholesterol: lab('LOINC//2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma (mg/dL)', 190, [[DIM.adiposity, 15], [DIM.glycemic, 10]], 25, 0, [80, 400]),
  troponin: lab('LOINC//10839-9', 'Troponin I.cardiac [Mass/volume] in Serum or Plasma (ng/mL)', 0.01, [[DIM.acute_cardiac, 1.2]], 0.4, 3, [0.001, 50], true),
  spo2: lab('LOINC//2708-6', 'Oxygen saturation in Arterial blood (%)', 97, [[DIM.pulmonary, -1.5], [DIM.infection, -1]], 1, 0, [70, 100]),
  phq9: lab('LOINC//44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score', 4, [[DIM.mental, 4]], 2, 0, [0, 27]),
  sbp: lab('LOINC//8480-6', 'Systolic blood pressure (mm[Hg])', 126, [[DIM.cardiac, 6], [DIM.renal, 3], [DIM.adiposity, 3], [DIM.age, 4]], 10, 0, [70, 230]),
  dbp: lab('LOINC//8462-4', 'Diastolic blood pressure (mm[Hg])', 78, [[DIM.cardiac, 3], [DIM.adiposity, 2]], 7, 0, [40, 130]),
  heartRate: lab('LOINC//8867-4', 'Heart rate (/min)', 76, [[DIM.infection, 5], [DIM.pulmonary, 3], [DIM.acute_cardiac, 3]], 8, 0, [35, 180]),
  bmi: lab('LOINC//39156-5', 'Body mass index (BMI) [Ratio] (kg/m2)', 27, [[DIM.adiposity, 4.5]], 0.7, 1, [14, 70]),
  temperature: lab('LOINC//8310-5', 'Body temperature (Cel)', 36.8, [[DIM.infection, 0.5]], 0.25, 1, [34, 42]),
  respRate: lab('LOINC//9279-1', 'Respiratory rate (/min)', 16, [[DIM.pulmonary, 1.5], [DIM.infection, 1.5]], 2, 0, [8, 45]),
} as const satisfies Record<string, LabSpec>;

/** The abnormal-lab task: HbA1c at or above this value (%). */
export const HBA1C_ABNORMAL = 6.5;

export const VISIT_CODES = {
  outpatient: 'VISIT//OUTPATIENT',
  ed: 'VISIT//ED',
  inpatient: 'VISIT//INPATIENT',
  discharge: 'HOSPITAL_DISCHARGE',
  birth: 'MEDS_BIRTH',
  death: 'MEDS_DEATH',
  female: 'GENDER//F',
  male: 'GENDER//M',
} as const;

export const VISIT_DESCRIPTIONS: Record<string, string> = {
  [VISIT_CODES.outpatient]: 'Outpatient visit',
  [VISIT_CODES.ed]: 'Emergency department visit',
  [VISIT_CODES.inpatient]: 'Hospital admission (inpatient)',
  [VISIT_CODES.discharge]: 'Hospital discharge',
  [VISIT_CODES.birth]: 'Birth (MEDS standard code)',
  [VISIT_CODES.death]: 'Death (MEDS standard code)',
  [VISIT_CODES.female]: 'Administrative sex: female',
  [VISIT_CODES.male]: 'Administrative sex: male',
};
