/**
 * Which language a text is written in, English or French, from how often each language's most
 * common words occur in it (articles, pronouns, prepositions: the words every sentence needs, and
 * that the other language lacks). Short or mixed texts that give no clear answer get `fallback`
 * (a post's case's language, say). Markdown, links and mentions are not words of either language.
 */

const ENGLISH = new Set(
  `the a an and of to in is are was were be been it this that these those with for on at by from as
  but or not have has had do does did we you they he she i our your their my his her its what which
  who how when where why there here can will would should could about into than then so if just
  also very more most some any all no yes thanks thank`.split(/\s+/),
);

const FRENCH = new Set(
  `le la les un une des du de et est sont était être été ce cette ces cet avec pour sur dans par au
  aux mais ou ne pas plus nous vous ils elles il elle je tu notre votre leur leurs mon ma mes son sa
  ses qui que quoi comment quand où pourquoi il y a aussi très tout tous toutes peut sont bien
  merci oui non chez entre sans sous selon`.split(/\s+/),
);

/** Fewer stopwords than this in a text: too little to tell. */
const MIN_EVIDENCE = 2;

/** "l'", "d'", "qu'"…: elided articles and pronouns before a word are French. */
const ELISION = /(?:^|\P{L})(?:[cdjln]|qu)['’](?=\p{L})/gu;

/** `en` or `fr` when the text clearly reads as one of them, else `fallback`. */
export function detectLanguage(text: string, fallback: string = 'en'): string {
  const cleaned = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/@[\w-]+/g, ' ');
  let english = 0;
  let french = cleaned.match(ELISION)?.length ?? 0;
  for (const word of cleaned.split(/\P{L}+/u)) {
    if (ENGLISH.has(word)) english += 1;
    if (FRENCH.has(word)) french += 1;
  }
  if (english + french < MIN_EVIDENCE) return fallback;
  // One language's words must clearly outnumber the other's (a few words, like "a", are in both lists).
  if (french > english * 1.5) return 'fr';
  if (english > french * 1.5) return 'en';
  return fallback;
}
