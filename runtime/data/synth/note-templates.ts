import type { Rng } from '../prng.ts';
import { DIM, latentToAge } from './latent-model.ts';
import { ED, INPATIENT, type VisitType } from './visits.ts';

/**
 * Clinical notes written from the same latent state as the events, with the phrasing habits of
 * real notes: symptoms of active processes, negated symptoms of quiet ones ("denies chest pain"),
 * a history list of established diseases, and abbreviations used at random (SOB, DM2, c/o, h/o).
 * A text encoder can therefore recover the state, but only through the language.
 */

/** A phrase and its abbreviation (the same when there is none). */
type Phrase = readonly [full: string, short: string];

interface Process {
  readonly dim: number;
  /** Above this the process shows symptoms. */
  readonly active: number;
  readonly symptoms: readonly Phrase[];
  /** How an established disease appears in the history. */
  readonly history?: Phrase;
  readonly historyFrom?: number;
  readonly plan: readonly string[];
}

const PROCESSES: readonly Process[] = [
  {
    dim: DIM.glycemic,
    active: 1.4,
    symptoms: [['polyuria', 'polyuria'], ['polydipsia', 'polydipsia'], ['blurred vision', 'blurred vision'], ['fatigue', 'fatigue']],
    history: ['type 2 diabetes', 'DM2'],
    historyFrom: 0.9,
    plan: ['titrate metformin', 'reinforce diet and glucose monitoring', 'recheck A1c in 3 months'],
  },
  {
    dim: DIM.cardiac,
    active: 1.4,
    symptoms: [['dyspnea on exertion', 'DOE'], ['orthopnea', 'orthopnea'], ['lower extremity edema', 'LE edema'], ['palpitations', 'palpitations']],
    history: ['heart failure', 'CHF'],
    historyFrom: 1.6,
    plan: ['continue diuretic, daily weights', 'fluid restriction 1.5 L', 'echo ordered'],
  },
  {
    dim: DIM.renal,
    active: 1.8,
    symptoms: [['decreased urine output', 'decreased UOP'], ['generalized weakness', 'weakness'], ['poor appetite', 'anorexia']],
    history: ['chronic kidney disease', 'CKD'],
    historyFrom: 1.3,
    plan: ['avoid nephrotoxins', 'renal dosing of medications', 'nephrology referral'],
  },
  {
    dim: DIM.pulmonary,
    active: 1.2,
    symptoms: [['shortness of breath', 'SOB'], ['wheezing', 'wheezing'], ['chronic cough', 'cough'], ['sputum production', 'sputum']],
    history: ['chronic obstructive pulmonary disease', 'COPD'],
    historyFrom: 1.1,
    plan: ['continue inhalers', 'pulmonary rehab referral', 'smoking cessation counseling'],
  },
  {
    dim: DIM.hepatic,
    active: 1.6,
    symptoms: [['jaundice', 'jaundice'], ['abdominal distension', 'abd distension'], ['easy bruising', 'easy bruising']],
    history: ['cirrhosis', 'cirrhosis'],
    historyFrom: 2.0,
    plan: ['lactulose titrated to 2-3 BMs daily', 'hepatology follow-up', 'alcohol cessation advised'],
  },
  {
    dim: DIM.mental,
    active: 1.0,
    symptoms: [['low mood', 'low mood'], ['anhedonia', 'anhedonia'], ['poor sleep', 'insomnia'], ['anxiety', 'anxiety']],
    history: ['major depressive disorder', 'MDD'],
    historyFrom: 1.0,
    plan: ['continue SSRI', 'behavioral health referral', 'safety plan reviewed'],
  },
  {
    dim: DIM.infection,
    active: 1.0,
    symptoms: [['fever', 'fever'], ['chills', 'chills'], ['productive cough', 'productive cough'], ['dysuria', 'dysuria']],
    plan: ['empiric antibiotics', 'blood cultures sent', 'trend WBC and lactate'],
  },
  {
    dim: DIM.acute_cardiac,
    active: 0.9,
    symptoms: [['chest pain', 'CP'], ['diaphoresis', 'diaphoresis'], ['chest pressure radiating to the left arm', 'CP radiating to L arm']],
    plan: ['serial troponins', 'aspirin given', 'cardiology consulted'],
  },
  {
    dim: DIM.injury,
    active: 1.0,
    symptoms: [['a mechanical fall', 'mechanical fall'], ['hip pain', 'hip pain'], ['wrist pain', 'wrist pain']],
    plan: ['imaging obtained', 'analgesia', 'PT/OT evaluation'],
  },
  {
    dim: DIM.gi_acute,
    active: 1.0,
    symptoms: [['nausea and vomiting', 'n/v'], ['diarrhea', 'diarrhea'], ['melena', 'melena'], ['abdominal pain', 'abd pain']],
    plan: ['IV fluids', 'PPI', 'GI consulted'],
  },
];

/** Symptoms that are commonly documented as absent. */
const NEGATABLE: readonly [dim: number, phrase: Phrase][] = [
  [DIM.acute_cardiac, ['chest pain', 'CP']],
  [DIM.pulmonary, ['shortness of breath', 'SOB']],
  [DIM.infection, ['fever', 'fever']],
  [DIM.gi_acute, ['nausea or vomiting', 'n/v']],
  [DIM.cardiac, ['leg swelling', 'LE edema']],
  [DIM.injury, ['recent falls', 'falls']],
  [DIM.mental, ['suicidal ideation', 'SI']],
];

const HEADERS: Record<VisitType, readonly string[]> = {
  0: ['Clinic Progress Note', 'Primary Care Visit', 'Outpatient Follow-up'],
  1: ['ED Provider Note', 'Emergency Department Note'],
  2: ['Discharge Summary', 'Hospital Discharge Summary'],
};

export interface NoteContext {
  readonly type: VisitType;
  readonly losDays: number;
  readonly sex: number;
}

/** Writes one note from the latent state z (at `offset`). */
export function writeNote(rng: Rng, z: ArrayLike<number>, offset: number, context: NoteContext): string {
  const abbreviate = rng.bernoulli(0.5);
  const say = (p: Phrase): string => (abbreviate && rng.bernoulli(0.8) ? p[1] : p[0]);
  const value = (dim: number): number => z[offset + dim] + 0.3 * rng.normal(); // documentation is noisy
  const age = Math.max(18, Math.round(latentToAge(z[offset + DIM.age])));
  const sex = context.sex > 0 ? (abbreviate ? 'F' : 'female') : abbreviate ? 'M' : 'male';

  const history: string[] = [];
  const symptoms: string[] = [];
  const plans: string[] = [];
  for (const p of PROCESSES) {
    const v = value(p.dim);
    if (p.history !== undefined && v > p.historyFrom!) history.push(say(p.history));
    if (v > p.active) {
      const count = v > p.active + 1 ? 2 : 1;
      for (let k = 0; k < count; k++) {
        const s = say(rng.choice(p.symptoms));
        if (!symptoms.includes(s)) symptoms.push(s);
      }
      plans.push(rng.choice(p.plan));
    }
  }
  const negations: string[] = [];
  for (const [dim, phrase] of NEGATABLE) {
    if (value(dim) < 0 && rng.bernoulli(0.45)) negations.push(say(phrase));
  }

  const lines: string[] = [rng.choice(HEADERS[context.type])];
  const withHistory = history.length > 0 ? ` ${abbreviate ? 'w/ h/o' : 'with a history of'} ${joinList(history)}` : '';
  const complaint =
    symptoms.length > 0
      ? `${abbreviate ? 'c/o' : 'presenting with'} ${joinList(symptoms)}`
      : context.type === 0
        ? 'here for routine follow-up'
        : `${abbreviate ? 'c/o' : 'presenting with'} generalized malaise`;
  lines.push(`${age} ${abbreviate ? 'yo' : 'year old'} ${sex}${withHistory}, ${complaint}.`);
  if (negations.length > 0) {
    const lead = rng.choice(['Denies', 'No', 'Negative for']);
    lines.push(`${lead} ${joinList(negations, 'or')}.`);
  }
  if (value(DIM.deprivation) > 1.2) lines.push(rng.choice(['Lives alone, limited social support.', 'Housing insecurity noted.', 'Difficulty affording medications.']));
  if (value(DIM.frailty) > 1.5) lines.push(rng.choice(['Ambulates with walker.', 'Needs assistance with ADLs.', 'Frail appearing.']));
  if (value(DIM.adiposity) > 1.5) lines.push(`BMI elevated, ${abbreviate ? 'wt loss' : 'weight loss'} counseling provided.`);
  if (context.type === INPATIENT) lines.push(`Hospital course: ${context.losDays} day${context.losDays === 1 ? '' : 's'}.`);
  if (context.type === ED) lines.push(rng.choice(['Disposition: home.', 'Disposition: admitted.', 'Disposition: observation.']));
  const plan = plans.length > 0 ? plans.join('; ') : 'continue current management';
  lines.push(`${abbreviate ? 'A/P' : 'Assessment and plan'}: ${plan}. ${abbreviate ? 'F/u' : 'Follow up'} ${rng.choice(['in 2 weeks', 'in 1 month', 'in 3 months', 'with PCP'])}.`);
  return lines.join('\n');
}

function joinList(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
