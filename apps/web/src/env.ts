import { defineEnvVars } from '@sveltejs/kit/env';

function httpOrigin(name: string, value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) origin`);
  return url.origin;
}

export const variables = defineEnvVars({
  INTERNAL_API_ORIGIN: {
    description: 'Origin the server-side `load` functions call for /api/... (set by the API server).',
    schema: (value) => httpOrigin('INTERNAL_API_ORIGIN', value || 'http://127.0.0.1:3000'),
  },
  ORIGIN: {
    description: 'The public origin people use (set by the API server); used for absolute links such as hreflang.',
    schema: (value) => (value ? httpOrigin('ORIGIN', value) : undefined),
  },
});
