/**
 * `npm start`'s entry: turns on Node's compile cache (in the system's temporary folder, or
 * NODE_COMPILE_CACHE), so a second start reuses the type-stripped and compiled modules of the
 * first instead of stripping and compiling a few hundred files again, then starts the server.
 * The cache is a quiet optimisation: when it cannot be used, the server starts all the same.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./server.ts');
