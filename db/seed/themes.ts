/** The themes that cases are filed under; the order here is the display order. */
export const themes: {
  slug: string;
  name: string;
  nameFr: string;
  description: string;
  descriptionFr: string;
}[] = [
  {
    slug: 'citizen-engagement',
    name: 'Citizen engagement',
    nameFr: 'Participation citoyenne',
    description:
      'Involving citizens and residents in shaping the policies and services that affect them, from consultation to co-creation.',
    descriptionFr:
      'Associer les citoyens et les habitants à l’élaboration des politiques et des services qui les concernent, de la consultation à la co-création.',
  },
  {
    slug: 'democratic-innovation',
    name: 'Democratic innovation',
    nameFr: 'Innovation démocratique',
    description:
      'New spaces and methods, from large-scale consultations to deliberative processes, that strengthen democratic life and bring citizens’ voices into political debate.',
    descriptionFr:
      'De nouveaux lieux et de nouvelles méthodes, des grandes consultations aux démarches délibératives, qui renforcent la vie démocratique et font entendre la voix des citoyens dans le débat politique.',
  },
  {
    slug: 'digital-government',
    name: 'Digital government',
    nameFr: 'Administration numérique',
    description:
      'Using digital platforms, shared infrastructure and interoperable systems to deliver simpler, better connected public services.',
    descriptionFr:
      'Recourir aux plateformes numériques, aux infrastructures partagées et aux systèmes interopérables pour offrir des services publics plus simples et mieux reliés entre eux.',
  },
  {
    slug: 'artificial-intelligence',
    name: 'Artificial intelligence',
    nameFr: 'Intelligence artificielle',
    description:
      'Applying artificial intelligence and machine learning responsibly to improve public decisions and services, and widening access to these technologies.',
    descriptionFr:
      'Mettre l’intelligence artificielle et l’apprentissage automatique, de manière responsable, au service de meilleures décisions et de meilleurs services publics, et en élargir l’accès.',
  },
  {
    slug: 'emerging-technologies',
    name: 'Emerging technologies',
    nameFr: 'Technologies émergentes',
    description:
      'Experimenting with new and emerging technologies, often together with start-ups, industry and academia, to solve pressing public-sector problems.',
    descriptionFr:
      'Expérimenter des technologies nouvelles et émergentes, souvent avec des jeunes pousses, des entreprises et le monde universitaire, pour résoudre des problèmes publics urgents.',
  },
  {
    slug: 'public-procurement',
    name: 'Public procurement',
    nameFr: 'Commande publique',
    description:
      'Rethinking how governments buy goods, works and services so that procurement is open, efficient and a lever for innovation.',
    descriptionFr:
      'Repenser la manière dont les administrations achètent biens, travaux et services, pour une commande publique ouverte, efficace et favorable à l’innovation.',
  },
  {
    slug: 'open-government',
    name: 'Open government',
    nameFr: 'Gouvernement ouvert',
    description:
      'Putting the principles of transparency, integrity, accountability and stakeholder participation at the heart of how government works.',
    descriptionFr:
      'Placer les principes de transparence, d’intégrité, de redevabilité et de participation des parties prenantes au cœur du fonctionnement de l’administration.',
  },
  {
    slug: 'data-and-transparency',
    name: 'Data and transparency',
    nameFr: 'Données et transparence',
    description:
      'Making effective use of public data and information to increase transparency, monitor results and support better decisions.',
    descriptionFr:
      'Exploiter efficacement les données et l’information publiques pour accroître la transparence, suivre les résultats et éclairer les décisions.',
  },
  {
    slug: 'participatory-budgeting',
    name: 'Participatory budgeting',
    nameFr: 'Budget participatif',
    description: 'Letting residents propose, discuss and vote on how part of a public budget is spent.',
    descriptionFr:
      'Permettre aux habitants de proposer, de débattre et de voter l’affectation d’une partie d’un budget public.',
  },
  {
    slug: 'service-design',
    name: 'Service design',
    nameFr: 'Design des services publics',
    description: 'Designing public services around the needs and lived experience of the people who use them.',
    descriptionFr:
      'Concevoir les services publics à partir des besoins et de l’expérience vécue des personnes qui les utilisent.',
  },
  {
    slug: 'skills-and-capability',
    name: 'Skills and capability',
    nameFr: 'Compétences et capacités',
    description:
      'Building the skills, leadership and organisational capability that public servants need to innovate and carry out reforms.',
    descriptionFr:
      'Développer les compétences, le leadership et les capacités organisationnelles dont les agents publics ont besoin pour innover et mener les réformes.',
  },
  {
    slug: 'economic-development',
    name: 'Economic development',
    nameFr: 'Développement économique',
    description:
      'Supporting businesses, entrepreneurship and the competitiveness of territories through collaborative public action.',
    descriptionFr:
      'Soutenir les entreprises, l’entrepreneuriat et la compétitivité des territoires par une action publique collaborative.',
  },
  {
    slug: 'employment-and-social-inclusion',
    name: 'Employment and social inclusion',
    nameFr: 'Emploi et inclusion sociale',
    description:
      'Creating work and livelihood opportunities and reaching the people and places most at risk of being left behind.',
    descriptionFr:
      'Créer des emplois et des moyens de subsistance, et atteindre les personnes et les territoires les plus exposés au risque d’être laissés pour compte.',
  },
  {
    slug: 'health-and-wellbeing',
    name: 'Health and wellbeing',
    nameFr: 'Santé et bien-être',
    description: 'Improving physical and mental health services and the wellbeing of the communities they serve.',
    descriptionFr:
      'Améliorer les services de santé physique et mentale ainsi que le bien-être des populations qu’ils desservent.',
  },
  {
    slug: 'environment-and-climate',
    name: 'Environment and climate',
    nameFr: 'Environnement et climat',
    description:
      'Protecting the environment and tackling climate change, including through waste management, recycling and green public spaces.',
    descriptionFr:
      'Protéger l’environnement et lutter contre le changement climatique, notamment par la gestion des déchets, le recyclage et les espaces verts publics.',
  },
  {
    slug: 'urban-development',
    name: 'Urban development',
    nameFr: 'Développement urbain',
    description:
      'Shaping neighbourhoods, public spaces, mobility and infrastructure together with the people who live there.',
    descriptionFr:
      'Aménager les quartiers, les espaces publics, la mobilité et les infrastructures avec les personnes qui y vivent.',
  },
  {
    slug: 'justice',
    name: 'Justice',
    nameFr: 'Justice',
    description: 'Making justice systems more efficient, more accessible and more people-centred.',
    descriptionFr:
      'Rendre les systèmes judiciaires plus efficaces, plus accessibles et davantage centrés sur les personnes.',
  },
  {
    slug: 'anti-corruption-and-integrity',
    name: 'Anti-corruption and integrity',
    nameFr: 'Intégrité et lutte contre la corruption',
    description:
      'Preventing fraud and corruption and strengthening public integrity through transparency, oversight and accountability.',
    descriptionFr:
      'Prévenir la fraude et la corruption, et renforcer l’intégrité publique grâce à la transparence, au contrôle et à la redevabilité.',
  },
];
