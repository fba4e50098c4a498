/** Localized names by country code and theme slug, as handed from server `load` functions to pages. */
export interface Names {
  countries: Record<string, string>;
  themes: Record<string, string>;
}
