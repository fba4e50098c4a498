/**
 * French translations of a few demo cases (db/seed/cases.ts), translated from the observatory's
 * English texts: /fr pages show them in place of the English text, and the other cases with the
 * notice that they are available in English.
 */
export interface SeedTranslation {
  /** The case's slug in cases.ts. */
  slug: string;
  language: string;
  title: string;
  summary: string;
  body: string;
}

export const caseTranslations: SeedTranslation[] = [
  {
    slug: 'my-france-2022',
    language: 'fr',
    title: '#MyFrance2022',
    summary:
      'La plus grande consultation citoyenne en ligne jamais menée par un média public en France a permis à un million de personnes d’exprimer leurs priorités et de dialoguer directement avec les candidats à l’approche de l’élection présidentielle.',
    body: '#MyFrance2022 est la plus grande consultation citoyenne en ligne jamais menée par un média public en France. Elle a permis à un million de Françaises et de Français d’exprimer leurs priorités et de dialoguer directement avec les candidats à l’approche de l’élection présidentielle. Cette consultation massive et inédite entendait répondre à l’urgence démocratique de placer la voix des citoyens au cœur des débats politiques pendant une période aussi décisive que la campagne présidentielle.',
  },
  {
    slug: 'romadecide-viii-district',
    language: 'fr',
    title: '#RomaDecide : le budget participatif du VIIIe arrondissement de Rome',
    summary:
      'Pour la première fois, Rome a associé les usagers de la ville à la répartition d’environ 17 millions d’euros de travaux publics dans le VIIIe arrondissement : espaces verts, mobilité durable, renouvellement urbain et infrastructures.',
    body: 'L’administration de Rome devait décider de l’usage d’environ 17 millions d’euros de travaux publics sur le territoire du VIIIe arrondissement, pour des projets d’environnement, de paysage et d’espaces verts publics, de mobilité durable et d’accessibilité, de renouvellement urbain et d’infrastructures, ainsi que pour des idées ou des propositions de projets transversaux. L’innovation porte sur la manière de décider : pour la première fois, les usagers de la ville ont été associés à la répartition de ces ressources.',
  },
  {
    slug: 'public-spaces-disadvantaged-areas',
    language: 'fr',
    title: 'Co-créer l’espace public dans les quartiers défavorisés',
    summary:
      'On demandait rarement aux habitants des quartiers défavorisés quel espace public ils attendent : ce projet crée avec eux des espaces publics qui favorisent la sécurité, le confort, la vie et le caractère local de chaque territoire.',
    body: 'Depuis 80 ans, nous travaillons au bien-être des habitants des quartiers défavorisés, mais on leur a rarement demandé comment ils imaginent un espace public adapté et de qualité. Avec notre projet, nous créons des espaces publics qui, au-delà des routes, des trottoirs et d’accès de qualité, favorisent la sécurité, le confort, la vie et l’identité locale de chaque territoire. Nous innovons dans la manière dont les habitants d’un secteur transforment leur environnement, au-delà du regard déraciné des « experts ».',
  },
];
