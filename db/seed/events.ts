/**
 * Demo events, drawn from the observatory's own texts: its annual conference in Paris, a webinar,
 * a meeting of its Task Force and regional meetups. Dates are relative to the first start
 * (`inDays` at `localTime` in the event's zone), so they are always ahead; `going` lists the demo
 * members who answered (some events nearly full).
 */
export interface DemoEvent {
  slug: string;
  title: string;
  description: string;
  inDays: number;
  localTime: string;
  durationHours: number;
  timezone: string;
  mode: 'in_person' | 'online' | 'hybrid';
  venue: string;
  address: string;
  onlineUrl: string | null;
  capacity: number | null;
  countries: string[];
  themes: string[];
  cases: string[];
  organiser: string;
  going: string[];
  interested: string[];
}

export const events: DemoEvent[] = [
  {
    slug: 'opsi-conference-new-normal',
    title: 'Innovation in Government: the New Normal — OPSI annual conference',
    description:
      'Two days in Paris with public servants, researchers, civil society and businesses from around the world, to share skills, experiences, practices and knowledge with one focus in mind: making innovation in government the **new normal**.\n\nInnovative people and practices exist in government, but they are not yet mainstreamed as they should be. Come with a case, leave with a network.\n\n- Day 1: keynotes and case clinics\n- Day 2: workshops on systems change, anticipatory innovation and public-sector AI',
    inDays: 45,
    localTime: '09:00',
    durationHours: 32,
    timezone: 'Europe/Paris',
    mode: 'hybrid',
    venue: 'OECD Conference Centre',
    address: '2 rue André Pascal, 75016 Paris, France',
    onlineUrl: 'https://meet.example.org/opsi-conference',
    capacity: 500,
    countries: ['FR'],
    themes: ['democratic-innovation', 'digital-government', 'citizen-engagement'],
    cases: ['my-france-2022', 'european-citizens-consultations', 'les-halles-civiques'],
    organiser: 'sofia-lindqvist',
    going: [
      'ines-marchetti',
      'kwame-asante-boateng',
      'lucia-ferreira-santos',
      'tomasz-wieczorek',
      'aiko-tanabe',
      'rahul-menon',
      'mamadou-sow',
      'camila-restrepo',
      'yasmine-benali',
      'marie-claude-tremblay',
      'james-whitfield',
      'priya-raman',
      'elena-petrescu',
      'jonas-keller',
      'annelies-de-vries',
      'matteo-rinaldi',
      'pierre-yves-lambert',
      'kadri-tamm',
    ],
    interested: ['lan-nguyen', 'park-hyun-woo', 'awa-kone'],
  },
  {
    slug: 'webinar-deliberation-at-scale',
    title: 'Webinar: deliberation at scale with Pol.is and machine learning',
    description:
      'How do governments listen to thousands of people at once without losing the nuance? Practitioners behind open policy-making in Canada and the analysis of citizen contributions in Belgium compare notes, then take your questions.\n\nOnline, one hour, recorded for members.',
    inDays: 12,
    localTime: '15:00',
    durationHours: 1,
    timezone: 'Europe/Brussels',
    mode: 'online',
    venue: '',
    address: '',
    onlineUrl: 'https://meet.example.org/deliberation-webinar',
    capacity: null,
    countries: ['CA', 'BE'],
    themes: ['citizen-engagement', 'artificial-intelligence'],
    cases: ['polis-open-policy-making-canada', 'citizenlab-machine-learning'],
    organiser: 'marie-claude-tremblay',
    going: [
      'sofia-lindqvist',
      'jonas-keller',
      'lan-nguyen',
      'priya-raman',
      'awa-kone',
      'valentina-rojas',
      'diego-alvarez-ruiz',
    ],
    interested: ['matteo-rinaldi', 'adaeze-okafor'],
  },
  {
    slug: 'opsi-task-force-spring-meeting',
    title: 'OPSI Task Force — spring meeting',
    description:
      'The Task Force of OECD countries that leads the Observatory meets twice a year to discuss its direction and its operational and analytical work. Delegates only; observers on request.',
    inDays: 30,
    localTime: '10:00',
    durationHours: 6,
    timezone: 'Europe/Paris',
    mode: 'in_person',
    venue: 'OECD Château de la Muette, Room C',
    address: '2 rue André Pascal, 75016 Paris, France',
    onlineUrl: null,
    capacity: 12,
    countries: ['FR', 'CA'],
    themes: ['skills-and-capability'],
    cases: [],
    organiser: 'pierre-yves-lambert',
    going: [
      'marie-claude-tremblay',
      'sofia-lindqvist',
      'ines-marchetti',
      'james-whitfield',
      'jonas-keller',
      'annelies-de-vries',
      'kadri-tamm',
      'tomasz-wieczorek',
      'aiko-tanabe',
      'park-hyun-woo',
      'ingrid-solberg',
    ],
    interested: [],
  },
  {
    slug: 'latin-america-innovators-meetup',
    title: 'Public innovators meetup — Latin America',
    description:
      'An evening for public innovators in the region: short talks on participatory budgeting, open government monitoring and public employment programmes, then open conversation.',
    inDays: 20,
    localTime: '18:30',
    durationHours: 3,
    timezone: 'America/Bogota',
    mode: 'in_person',
    venue: 'Ruta N',
    address: 'Calle 67 #52-20, Medellín, Colombia',
    onlineUrl: null,
    capacity: 8,
    countries: ['CO', 'BR', 'PE'],
    themes: ['citizen-engagement', 'open-government'],
    cases: ['brazil-ogp-monitoring', 'romadecide-viii-district'],
    organiser: 'valentina-rojas',
    going: [
      'camila-restrepo',
      'diego-alvarez-ruiz',
      'sebastian-quispe',
      'lucia-ferreira-santos',
      'matteo-rinaldi',
      'farah-haddad',
      'thandiwe-mokoena',
      'amani-mwakyusa',
      // The meetup is full: these two wait for a seat.
      'awa-kone',
      'wanjiru-kamau',
    ],
    interested: ['adaeze-okafor'],
  },
  {
    slug: 'nordic-baltic-service-design-meetup',
    title: 'Nordic–Baltic service design meetup',
    description:
      'Service designers from public administrations around the Baltic Sea share what worked (and what did not) when co-designing services with the people who use them.',
    inDays: 9,
    localTime: '17:00',
    durationHours: 2.5,
    timezone: 'Europe/Tallinn',
    mode: 'hybrid',
    venue: 'Telliskivi Creative City',
    address: 'Telliskivi 60a, 10412 Tallinn, Estonia',
    onlineUrl: 'https://meet.example.org/nordic-baltic',
    capacity: 20,
    countries: ['EE', 'SE', 'FI'],
    themes: ['service-design'],
    cases: ['urgent-mental-health-care-centre'],
    organiser: 'kadri-tamm',
    going: ['sofia-lindqvist', 'ingrid-solberg', 'annelies-de-vries', 'jonas-keller', 'elena-petrescu'],
    interested: ['ines-marchetti', 'tenzin-wangmo'],
  },
];
