/**
 * The local cluster as a library (`npm run cluster` is infra/cluster.ts; the tests in
 * tests/cluster use it too): a throwaway PostgreSQL, its migrations run once, N platform nodes as
 * real processes (`node apps/api/src/start.ts`, as `npm start` runs it) on free loopback ports,
 * each with its own DATA_DIR (its mail outbox), and nginx in front (infra/nginx.ts). `stop()`
 * stops everything it started, in order: nginx, the nodes, PostgreSQL, then removes the folder.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNginx, type Nginx } from './nginx.ts';
import { answers200, startChild, tail, untilServing, type Child } from './processes.ts';
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SERVER = join(ROOT, 'apps/api/src/start.ts');
const MIGRATE = join(ROOT, 'apps/api/src/migrate.ts');

export interface ClusterOptions {
  /** How many nodes (3). */
  nodes?: number;
  /** nginx's port on 127.0.0.1 (a free one when omitted). */
  port?: number;
  /** More environment for every node (ABUSE_LIMITS, LOG_LEVEL…); the cluster sets its own on top. */
  env?: Record<string, string>;
  /** Serve the built web app (apps/web/build) from the nodes (SERVE_WEB); off by default. */
  web?: boolean;
  /** Insert the demo data (SEED_DEMO): the first node starts alone and seeds, then the others. */
  seedDemo?: boolean;
  /** Echo the processes' output, each line after its name (the cluster script); otherwise only logged to files. */
  echo?: boolean;
}

export interface ClusterNode {
  /** 1, 2, 3… */
  index: number;
  port: number;
  /** The node itself, bypassing nginx. */
  url: string;
  /** Its DATA_DIR (the mail outbox is DATA_DIR/outbox) and its log (node.log). */
  dataDir: string;
  logFile: string;
  pid(): number | undefined;
  running(): boolean;
  /** Sends `signal` (SIGKILL by default) and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (stopped first with SIGTERM if it still runs), on the same port; resolves once it is ready. */
  restart(): Promise<void>;
}

export interface Cluster {
  /** nginx: what people and the tests use. */
  url: string;
  databaseUrl: string;
  nodes: ClusterNode[];
  /** The cluster's folder (nginx's config and logs, the nodes' data folders). */
  dir: string;
  stop(): Promise<void>;
}

/** BODY_LIMIT_BYTES as the nodes will read it (nginx lets a little more through). */
function bodyLimit(env: Record<string, string | undefined>): number {
  const value = Number(env.BODY_LIMIT_BYTES);
  return Number.isSafeInteger(value) && value > 0 ? value : 1024 * 1024;
}

function runMigrations(env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [MIGRATE], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`migrations failed: ${result.stderr || result.stdout}`);
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'opsi-cluster-'));
  // nginx's workers (`nobody` when run as root) pass through to their folders; nobody lists it.
  chmodSync(dir, 0o711);
  let database: ThrowawayPostgres | undefined;
  let nginx: Nginx | undefined;
  const nodes: ClusterNode[] = [];
  const children = new Map<number, Child>();
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await nginx?.stop();
    await Promise.all([...children.values()].map((child) => child.stop('SIGTERM', 15_000)));
    try {
      database?.stop();
    } catch (error) {
      // Already gone (a Ctrl-C in its terminal reached it too): its folder is removed all the same.
      console.warn(`PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    database = await startThrowawayPostgres({ database: 'opsi' });
    const port = options.port ?? (await freePort());
    const origin = `http://127.0.0.1:${port}`;
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      PUBLIC_ORIGIN: origin,
      SERVE_WEB: options.web ? 'true' : 'false',
      SEED_DEMO: 'false',
    };
    runMigrations(base);
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) ports.push(await freePort());

    const makeNode = (index: number): { node: ClusterNode; start: () => Promise<void> } => {
      const nodePort = ports[index - 1]!;
      const dataDir = join(dir, `node-${index}`);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const logFile = join(dataDir, 'node.log');
      const env = {
        ...base,
        PORT: String(nodePort),
        DATA_DIR: dataDir,
        ...(options.seedDemo && index === 1 ? { SEED_DEMO: 'true' } : {}),
      };
      const url = `http://127.0.0.1:${nodePort}`;
      const start = async () => {
        const child = startChild(process.execPath, [SERVER], {
          env,
          logFile,
          cwd: ROOT,
          ...(options.echo ? { echo: `[node ${index}] ` } : {}),
        });
        children.set(index, child);
        await untilServing(`node ${index}`, child, () => answers200(`${url}/api/ready`), logFile);
      };
      const node: ClusterNode = {
        index,
        port: nodePort,
        url,
        dataDir,
        logFile,
        pid: () => children.get(index)?.process.pid,
        running: () => children.get(index)?.running() ?? false,
        async kill(signal = 'SIGKILL') {
          await children.get(index)?.stop(signal, 15_000);
        },
        async restart() {
          if (stopped) throw new Error('the cluster is stopped');
          await children.get(index)?.stop('SIGTERM', 15_000);
          await start();
        },
      };
      nodes.push(node);
      return { node, start };
    };

    const starts = Array.from({ length: count }, (_, i) => makeNode(i + 1).start);
    if (options.seedDemo) {
      // The demo data is inserted by one node, before the others start.
      await starts[0]!();
      await Promise.all(starts.slice(1).map((start) => start()));
    } else {
      await Promise.all(starts.map((start) => start()));
    }
    nginx = await startNginx({
      dir: join(dir, 'nginx'),
      port,
      nodePorts: ports,
      bodyLimitBytes: bodyLimit(base),
      ...(options.echo ? { echo: '[nginx] ' } : {}),
    });
    return { url: origin, databaseUrl: database.url, nodes, dir, stop };
  } catch (error) {
    const logs = nodes.map((n) => `--- node ${n.index}\n${tail(n.logFile, 15)}`).join('\n');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${logs ? `\n${logs}` : ''}`, {
      cause: error,
    });
  }
}
