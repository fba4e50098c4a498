/**
 * `npm run dev`: the API on :3000 restarting on change (node --watch), API only, and the web app's
 * Vite dev server on :5173 with hot reload, proxying /api, /socket.io and websockets to the API.
 * Open http://localhost:5173. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const apiPort = process.env.PORT ?? '3000';
const api = spawn(process.execPath, ['--watch', 'apps/api/src/server.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: apiPort,
    SERVE_WEB: 'false',
    PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN ?? 'http://localhost:5173',
  },
});
const web = spawn('npm', ['run', 'dev', '-w', '@opsi/web'], {
  stdio: 'inherit',
  env: { ...process.env, INTERNAL_API_ORIGIN: `http://127.0.0.1:${apiPort}` },
});

const children: ChildProcess[] = [api, web];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', stop);
