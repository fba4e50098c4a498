import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig, type Plugin } from 'vite';
import { contractsAsData } from './vite-contracts.ts';

// Where the API listens; the dev server proxies /api and /socket.io there.
const apiOrigin = process.env['INTERNAL_API_ORIGIN'] || 'http://127.0.0.1:3000';

/**
 * SvelteKit's route announcer (rendered after the first client navigation) carries one fixed
 * `style` attribute. Rather than allowing inline styles, the CSP allows exactly that attribute,
 * by hash, computed here from the installed SvelteKit so it follows upgrades.
 */
function announcerStyleHashes(): `sha256-${string}`[] {
  try {
    const kit = dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
    const root = readFileSync(join(kit, 'src/runtime/components/root.svelte'), 'utf8');
    return [...root.matchAll(/\bstyle="([^"]+)"/g)].map(
      ([, style]) =>
        `sha256-${createHash('sha256')
          .update(style ?? '')
          .digest('base64')}` as const,
    );
  } catch {
    return [];
  }
}

/**
 * Paraglide reads messages through the inlang message-format plugin, which project.inlang/settings.json
 * loads from node_modules (never from a CDN). Without it Paraglide would compile zero messages and
 * only warn, so fail the build here with a clear message instead.
 */
function assertLocalInlangPlugins(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const settingsFile = join(here, 'project.inlang/settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { modules?: string[] };
  for (const module of settings.modules ?? []) {
    if (/^https?:/.test(module))
      throw new Error(`project.inlang/settings.json must not load ${module} over the network`);
    if (!existsSync(resolve(here, module))) {
      throw new Error(
        `The inlang plugin ${module} is missing: run \`npm install\` (it comes from @inlang/plugin-message-format).`,
      );
    }
  }
}
assertLocalInlangPlugins();

/**
 * Paraglide's generated registry makes a new Intl.PluralRules, NumberFormat, … each time a
 * message with a count is formatted. Here it reuses them through `#lib/intl.ts` instead, and writes
 * plain counts in English and French without Intl (the same output, intl.test.ts). Should a
 * Paraglide upgrade change that code, the build stops rather than lose this.
 */
function paraglideIntlCache(): Plugin {
  const intl = fileURLToPath(new URL('./src/lib/intl.ts', import.meta.url));
  return {
    name: 'opsi:paraglide-intl-cache',
    transform(code, id) {
      if (!/[\\/]paraglide[\\/]registry\.js$/.test(id)) return null;
      const cached = code
        .replace('new Intl.NumberFormat(locale, options).format(Number(input))', 'formatNumber(locale, input, options)')
        .replace(
          /new (Intl\.(?:PluralRules|DateTimeFormat|RelativeTimeFormat))\(locale, (\w+)\)/g,
          'cachedIntl($1, locale, $2)',
        );
      if (cached === code || /new Intl\./.test(cached)) {
        throw new Error(`${id}: Paraglide's registry changed; update paraglideIntlCache in vite.config.ts`);
      }
      return { code: `import { cachedIntl, formatNumber } from ${JSON.stringify(intl)};\n${cached}`, map: null };
    },
  };
}

export default defineConfig({
  plugins: [
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      // English has no prefix, French lives under /fr (Paraglide's default URL pattern).
      strategy: ['url', 'baseLocale'],
    }),
    paraglideIntlCache(),
    contractsAsData(),
    sveltekit({
      adapter: adapter(),
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self'],
          'style-src-attr': ['unsafe-hashes', ...announcerStyleHashes()],
          'img-src': ['self', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
      // CSRF origin check stays on (the default); no trusted third-party origins.
      csrf: { trustedOrigins: [] },
    }),
  ],
  // The client's scripts keep Rolldown's default split (~50 small scripts a page, fetched in
  // parallel by modulepreload). Grouping them (output.codeSplitting groups) must not move
  // SvelteKit's client runtime into a chunk its entry imports statically: Kit sets the page's
  // payload first and only then imports the client, whose `version` reads it. A group captures its
  // modules' dependencies by default, so grouping src/lib pulled the runtime in, `version` was
  // undefined, and every answer of status 400 or more (a failed form, privacy.spec) looked like a
  // new deployment: a full reload that lost the answer. Groups with includeDependenciesRecursively
  // false (which needs preserveEntrySignatures 'allow-extension' and strictExecutionOrder) passed
  // privacy.spec at ~31 scripts a page (the rest of the suite not run), but scored within the
  // noise of this split in Lighthouse (three pages, three runs each).
  server: {
    proxy: {
      '/api': { target: apiOrigin, changeOrigin: false },
      '/socket.io': { target: apiOrigin, ws: true, changeOrigin: false },
    },
  },
});
