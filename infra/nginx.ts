/**
 * Debian's nginx in front of the cluster's nodes: the template infra/nginx/cluster.conf filled in
 * into a folder of the cluster's (its pid, logs and temporary files there too), run in the
 * foreground as a child (`daemon off`), listening on 127.0.0.1 only. The system's own nginx (if
 * the Debian package started one) is neither read nor touched: another config, another port.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers200, startChild, untilServing, type Child } from './processes.ts';

const TEMPLATE = new URL('./nginx/cluster.conf', import.meta.url);
const BINARIES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

export interface NginxOptions {
  /** A folder for the config, pid, logs and temporary files (created). */
  dir: string;
  port: number;
  /** The nodes' ports on 127.0.0.1. */
  nodePorts: number[];
  /** The nodes' BODY_LIMIT_BYTES. */
  bodyLimitBytes: number;
  echo?: string;
}

export interface Nginx {
  port: number;
  child: Child;
  stop(): Promise<void>;
}

function idsOf(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export function nginxBinary(): string {
  const found = BINARIES.find((path) => existsSync(path));
  if (!found) throw new Error('nginx not found: install the Debian package `nginx` (sudo apt-get install -y nginx).');
  return found;
}

/** The config for these nodes, from the template. */
export function nginxConfig(options: Omit<NginxOptions, 'echo'>): string {
  const servers = options.nodePorts
    .map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  const values: Record<string, string> = {
    PREFIX: options.dir,
    LISTEN: `127.0.0.1:${options.port}`,
    SERVERS: servers,
    // Headroom over the nodes' own limit, so an oversized body gets the app's 413 naming the limit.
    BODY_LIMIT: String(options.bodyLimitBytes + 64 * 1024),
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`infra/nginx/cluster.conf: unknown placeholder ${whole}`);
    return value;
  });
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const binary = nginxBinary();
  mkdirSync(options.dir, { recursive: true });
  // Run as root, nginx's workers drop to `nobody`: the temporary folders (large bodies, large
  // answers) are theirs. The folders above must let them through (infra/start-cluster.ts).
  chmodSync(options.dir, 0o711);
  const worker = process.getuid?.() === 0 ? idsOf('nobody') : undefined;
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    const path = join(options.dir, sub);
    mkdirSync(path, { recursive: true, mode: 0o700 });
    if (worker) chownSync(path, worker.uid, worker.gid);
  }
  const conf = join(options.dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(options));
  const logFile = join(options.dir, 'nginx.out');
  // -e: the error log from the very start (before the config is read, nginx would open the
  // package's /var/log/nginx/error.log).
  const child = startChild(
    binary,
    ['-p', options.dir, '-c', conf, '-e', join(options.dir, 'error.log'), '-g', 'daemon off;'],
    { logFile, ...(options.echo === undefined ? {} : { echo: options.echo }) },
  );
  // SIGTERM: nginx's fast shutdown (open websockets are closed, not waited for).
  const stop = () => child.stop('SIGTERM', 5000);
  try {
    // Up and proxying: a node's health answered through it (not merely something on the port).
    const health = `http://127.0.0.1:${options.port}/api/health`;
    await untilServing('nginx', child, () => answers200(health), join(options.dir, 'error.log'), 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port: options.port, child, stop };
}
