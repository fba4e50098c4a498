import type { Reroute } from '@sveltejs/kit/hooks';
import { deLocalizeUrl } from '#lib/paraglide/runtime.js';

/** `/fr/cases/x` renders the route of `/cases/x`; the URL keeps its `/fr` prefix. */
export const reroute: Reroute = ({ url }) => deLocalizeUrl(url).pathname;
