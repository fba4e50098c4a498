/**
 * Demo Q&A and poll for the annual conference (db/seed/events.ts): its organiser opened Q&A ahead
 * of the day, members going asked, others voted; a poll on the day-2 workshops is running. Voters
 * and askers are demo members going to the conference.
 */
export interface DemoLive {
  event: string;
  questions: { by: string; body: string; votes: string[] }[];
  poll: { question: string; options: string[]; multiple: boolean; votes: [string, number[]][] };
}

export const live: DemoLive = {
  event: 'opsi-conference-new-normal',
  questions: [
    {
      by: 'kwame-asante-boateng',
      body: 'How do you measure whether an innovation has become “the new normal” rather than a successful pilot?',
      votes: ['ines-marchetti', 'rahul-menon', 'mamadou-sow', 'yasmine-benali', 'priya-raman'],
    },
    {
      by: 'lucia-ferreira-santos',
      body: 'Which practices helped citizens’ assemblies keep their recommendations alive after the assembly ended?',
      votes: ['camila-restrepo', 'annelies-de-vries', 'matteo-rinaldi'],
    },
    {
      by: 'aiko-tanabe',
      body: 'Will the case clinics be recorded for people following online from other time zones?',
      votes: ['tomasz-wieczorek'],
    },
  ],
  poll: {
    question: 'Which day-2 workshop will you join?',
    options: ['Systems change', 'Anticipatory innovation', 'Public-sector AI'],
    multiple: false,
    votes: [
      ['ines-marchetti', [2]],
      ['rahul-menon', [2]],
      ['mamadou-sow', [0]],
      ['elena-petrescu', [1]],
      ['jonas-keller', [2]],
    ],
  },
};
