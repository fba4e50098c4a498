/**
 * A realistic, deterministic case library of any size (`npm run admin -- generate-cases N`), for
 * the import's tests and the benchmark: cases over 94 countries and every theme, with plausible
 * titles, summaries and markdown bodies drawn from word lists, years 2010–2026, every level of
 * government and stage, and sourceIds `<prefix>00001`… The same N, seed and prefix give the same
 * file. Countries and themes are written as an export would: mostly English names, some ISO codes
 * or slugs, some French names (the import maps them all).
 */
import { LevelsOfGovernment, Stages } from '@opsi/contracts/cases';
import { countries } from '../../../../../../db/seed/countries.ts';
import { themes } from '../../../../../../db/seed/themes.ts';
import { IMPORT_COLUMNS } from './rows.ts';
import { toCsv } from './csv.ts';

/** The observatory's count of countries its cases come from. */
export const GENERATED_COUNTRIES = 94;

export interface GeneratedCase {
  sourceId: string;
  title: string;
  summary: string;
  body: string;
  countries: string[];
  themes: string[];
  year: number;
  organisation: string;
  levelOfGovernment: string;
  stage: string;
  sourceUrl: string;
  language: string;
}

export interface GenerateOptions {
  /** Any integer; the same seed gives the same cases. */
  seed?: number;
  /** Put before each case's number in its sourceId ("OPSI-" by default). */
  prefix?: string;
}

/** mulberry32: a small, fast, seeded generator (deterministic across platforms). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

const EN = {
  what: [
    'Open data portal',
    'Participatory budget',
    'Digital identity service',
    'Citizens’ assembly',
    'Behavioural nudge',
    'Service design lab',
    'Public procurement challenge',
    'Chatbot for benefits',
    'Predictive maintenance',
    'Community health navigators',
    'One-stop shop',
    'Regulatory sandbox',
    'Algorithm register',
    'Mobile tax filing',
    'Open contracting platform',
    'Youth innovation council',
    'Civic tech fellowship',
    'Social impact bond',
    'Green public transport pass',
    'Data-driven inspections',
  ],
  purpose: [
    'for faster permits',
    'to reduce waiting lists',
    'for climate adaptation',
    'to include rural communities',
    'for school meals',
    'to fight fraud',
    'for affordable housing',
    'to welcome refugees',
    'for cleaner air',
    'to reach older people',
    'for small businesses',
    'to cut paperwork',
  ],
  where: ['in', 'across', 'for the capital of', 'in rural'],
  summary: [
    'A team inside government redesigned how residents apply, test and give feedback.',
    'The initiative brought together civil servants, researchers and residents to co-design a new service.',
    'Public data and a simple interface let people see and shape decisions that affect them.',
    'A small pilot grew into a national programme after careful evaluation.',
    'Frontline staff were given the tools and the mandate to try something new.',
  ],
  results: [
    'Processing times fell by a third in the first year.',
    'Participation doubled among groups that rarely take part.',
    'The approach has since been adopted by other agencies.',
    'An independent evaluation found savings and higher satisfaction.',
  ],
  organisation: [
    'Ministry of Finance',
    'Ministry of Health',
    'Digital Service',
    'Innovation Lab',
    'City Council',
    'Regional Government',
    'Tax Agency',
    'Office of the Prime Minister',
  ],
};

const FR = {
  what: [
    'Portail de données ouvertes',
    'Budget participatif',
    'Laboratoire d’innovation publique',
    'Convention citoyenne',
    'Guichet unique',
    'Bac à sable réglementaire',
    'Registre des algorithmes publics',
    'Conseil des jeunes',
  ],
  purpose: [
    'pour simplifier les démarches',
    'pour l’adaptation au climat',
    'pour les territoires ruraux',
    'pour l’accès au logement',
    'pour la santé de proximité',
  ],
  summary: [
    'Une équipe publique a repensé le service avec les usagers et les agents.',
    'Un projet pilote, évalué avec soin, est devenu un programme national.',
    'Les habitants participent aux décisions grâce à des données ouvertes et à un outil simple.',
  ],
  results: [
    'Les délais de traitement ont baissé d’un tiers la première année.',
    'La participation a doublé parmi les publics éloignés.',
  ],
  organisation: [
    'Ministère de l’Économie',
    'Direction interministérielle du numérique',
    'Conseil départemental',
    'Mairie',
    'Agence régionale de santé',
  ],
};

function shuffled<T>(items: readonly T[], rng: ReturnType<typeof random>): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** N cases, the same for the same options. */
export function generateCases(n: number, options: GenerateOptions = {}): GeneratedCase[] {
  const rng = random(options.seed ?? 1084);
  const prefix = options.prefix ?? 'OPSI-';
  const places = shuffled(countries, rng).slice(0, GENERATED_COUNTRIES);
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i += 1) {
    // Every country and every theme appears as soon as there are enough cases.
    const home = places[i % places.length]!;
    const others = rng.next() < 0.15 ? [rng.pick(places)].filter((c) => c.code !== home.code) : [];
    const mainTheme = themes[i % themes.length]!;
    const extra = rng.next() < 0.5 ? [rng.pick(themes)].filter((t) => t.slug !== mainTheme.slug) : [];
    const french = rng.next() < 0.12;
    const w = french ? FR : EN;
    const country = (c: (typeof countries)[number]) => {
      const r = rng.next();
      return r < 0.2 ? c.code : r < 0.35 ? c.nameFr : c.name;
    };
    const theme = (t: (typeof themes)[number]) => {
      const r = rng.next();
      return r < 0.3 ? t.slug : r < 0.45 ? t.nameFr : t.name;
    };
    const what = rng.pick(w.what);
    const place = french ? home.nameFr : home.name;
    const title = french
      ? `${what} ${rng.pick(FR.purpose)} (${place})`
      : `${what} ${rng.pick(EN.purpose)} ${rng.pick(EN.where)} ${place}`;
    const number = String(i + 1).padStart(5, '0');
    const summary = `${rng.pick(w.summary)} ${rng.pick(w.results)}`;
    const body = [
      `## ${french ? 'Le problème' : 'The problem'}`,
      '',
      rng.pick(w.summary),
      '',
      `## ${french ? 'Ce qui a été fait' : 'What was done'}`,
      '',
      `- ${rng.pick(w.what)}`,
      `- ${rng.pick(w.what)}`,
      '',
      `## ${french ? 'Résultats' : 'Results'}`,
      '',
      `${rng.pick(w.results)} ${rng.pick(w.results)}`,
    ].join('\n');
    out.push({
      sourceId: `${prefix}${number}`,
      title,
      summary,
      body,
      countries: [home, ...others].map(country),
      themes: [mainTheme, ...extra].map(theme),
      year: rng.int(2010, 2026),
      organisation: `${rng.pick(w.organisation)}, ${place}`,
      levelOfGovernment: rng.pick(LevelsOfGovernment),
      stage: rng.pick(Stages),
      sourceUrl: `https://oecd-opsi.org/innovations/${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-')}${number}/`,
      language: french ? 'fr' : 'en',
    });
  }
  return out;
}

/** As a JSON export: an array of cases, one property per line. */
export function casesJson(cases: GeneratedCase[]): string {
  return `${JSON.stringify(cases, null, 2)}\n`;
}

/** As a CSV export: a header row, lists joined with ";". */
export function casesCsv(cases: GeneratedCase[]): string {
  const columns = IMPORT_COLUMNS.filter((c) => c !== 'slug');
  return toCsv([
    [...columns],
    ...cases.map((c) => columns.map((k) => (Array.isArray(c[k]) ? c[k].join(';') : String(c[k])))),
  ]);
}
