// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Me } from '@opsi/contracts/profiles';
import type { Locale } from '#lib/paraglide/runtime.js';

declare global {
  namespace App {
    interface Error {
      status: number;
      message: string;
      /** The API's error code (`not_found`, `service_unavailable`, ...) when the error came from it. */
      code?: string;
    }
    interface Locals {
      /** The UI language, from the URL (`/fr/...` is French). */
      locale: Locale;
      /** The locale used to format dates and numbers, e.g. `en-US` or `fr-CA`, from Accept-Language. */
      formatLocale: string;
      /** Who is signed in (user, profile and email), from GET /api/v1/me in hooks.server.ts; null when nobody is. */
      me: Me | null;
    }
  }
}

export {};
