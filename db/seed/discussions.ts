/**
 * Demo discussions: what the demo members (fictional) say about the observatory's cases. Each
 * thread is a list of posts oldest first; `replyTo` is the index of the top-level post a reply
 * answers in that thread. `hoursAgo` spreads them over the last days.
 */
export interface DemoPost {
  author: string;
  body: string;
  hoursAgo: number;
  replyTo?: number;
  reactions?: Partial<Record<'like' | 'insightful' | 'support', string[]>>;
}

export const discussions: Record<string, DemoPost[]> = {
  'polis-open-policy-making-canada': [
    {
      author: 'marie-claude-tremblay',
      hoursAgo: 70,
      body: 'We used Pol.is for a provincial consultation on short-term rentals last spring. The opinion map made it obvious that the two "camps" agreed on far more than the press suggested.\n\nHas anyone linked the results back to the final policy text, so participants can see what changed?',
      reactions: { insightful: ['sofia-lindqvist', 'jonas-keller', 'lan-nguyen'], like: ['priya-raman'] },
    },
    {
      author: 'lan-nguyen',
      hoursAgo: 66,
      replyTo: 0,
      body: 'In Taiwan-inspired processes we publish a short "what we heard / what we did" note for each consensus statement. It takes a day of work and it is the part participants thank us for most.',
      reactions: { like: ['marie-claude-tremblay', 'aiko-tanabe'] },
    },
    {
      author: 'jonas-keller',
      hoursAgo: 41,
      replyTo: 0,
      body: '@marie-claude-tremblay did you moderate statements before they were shown? We found that a light moderation rule ("one idea per statement") doubled the number of votes per participant.',
    },
    {
      author: 'sofia-lindqvist',
      hoursAgo: 20,
      body: 'A practical question for the group: how do you reach people who will never open a consultation website? We are trying SMS invitations with a link to a three-statement version.',
      reactions: { support: ['awa-kone', 'kwame-asante-boateng'] },
    },
  ],
  'my-france-2022': [
    {
      author: 'ines-marchetti',
      hoursAgo: 96,
      body: 'Ce qui m’a frappée dans #MyFrance2022, c’est la restitution : chaque contribution était lisible et classée. Nous réutilisons la grille de synthèse pour une concertation régionale sur les mobilités.',
      reactions: { like: ['pierre-yves-lambert', 'yasmine-benali'], insightful: ['marie-claude-tremblay'] },
    },
    {
      author: 'pierre-yves-lambert',
      hoursAgo: 90,
      replyTo: 0,
      body: 'Même expérience à Lyon. Attention toutefois au volume : au-delà de quelques milliers de contributions, il faut prévoir une équipe d’analyse dès le départ, pas à la fin.',
    },
    {
      author: 'james-whitfield',
      hoursAgo: 30,
      body: 'Reading this from London: the **youth focus** is what makes it transferable. Did the organisers publish the outreach plan for schools and apprenticeship centres?',
    },
  ],
  'ukraine-procurement-risk-monitoring': [
    {
      author: 'tomasz-wieczorek',
      hoursAgo: 120,
      body: 'The risk indicators are the reusable part. We mapped 14 of them onto our national procurement data in two weeks; single-bidder tenders and very short submission windows were the strongest signals.',
      reactions: { insightful: ['elena-petrescu', 'kadri-tamm', 'diego-alvarez-ruiz', 'camila-restrepo'] },
    },
    {
      author: 'elena-petrescu',
      hoursAgo: 110,
      replyTo: 0,
      body: 'Same here in Romania. One lesson: publish the methodology next to the dashboard. Auditors trust a flag they can explain.',
      reactions: { like: ['tomasz-wieczorek'] },
    },
    {
      author: 'kadri-tamm',
      hoursAgo: 12,
      body: 'Is anyone combining these indicators with beneficial-ownership data? Our pilot links the two and the false-positive rate dropped noticeably. Happy to share notes — see [our write-up](https://example.org/procurement-notes).',
    },
  ],
  'ai-friends': [
    {
      author: 'park-hyun-woo',
      hoursAgo: 80,
      body: 'Seoul colleagues here. The check-in calls reach older people living alone, but the important part is the escalation path: when the AI flags a concern, a social worker calls within the day.',
      reactions: { support: ['aiko-tanabe', 'wanjiru-kamau', 'thandiwe-mokoena'], insightful: ['rahul-menon'] },
    },
    {
      author: 'rahul-menon',
      hoursAgo: 75,
      replyTo: 0,
      body: 'How was consent handled for people with early dementia? That is the question our ethics board keeps coming back to.',
    },
    {
      author: 'park-hyun-woo',
      hoursAgo: 72,
      replyTo: 0,
      body: '@rahul-menon family members and the care manager are part of the sign-up conversation, and the person can stop the calls at any time by saying so. It is not perfect; we review it every quarter.',
      reactions: { like: ['rahul-menon'] },
    },
  ],
  'romadecide-viii-district': [
    {
      author: 'matteo-rinaldi',
      hoursAgo: 50,
      body: 'Participatory budgeting works when the money is real and the timeline is short. In the VIII District the winning projects were visible within a year — that is what brought people back the following cycle.',
      reactions: { like: ['valentina-rojas', 'camila-restrepo', 'sebastian-quispe'] },
    },
    {
      author: 'valentina-rojas',
      hoursAgo: 26,
      replyTo: 0,
      body: 'In Medellín we learned the same thing. We also reserve a share of the budget for proposals from neighbourhoods with the lowest turnout.',
      reactions: { insightful: ['matteo-rinaldi'] },
    },
  ],
  'citizens-connect': [
    {
      author: 'adaeze-okafor',
      hoursAgo: 36,
      body: 'Reporting apps live or die on the reply. If a pothole report gets no answer in a week, people stop reporting. What response times do teams commit to publicly?',
      reactions: { support: ['mamadou-sow', 'farah-haddad'] },
    },
    {
      author: 'mamadou-sow',
      hoursAgo: 8,
      replyTo: 0,
      body: 'We publish a median response time per department on the home page. It moved some departments more than any internal memo did.',
    },
  ],
};
