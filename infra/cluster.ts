/**
 * `npm run cluster`: the platform as an operator runs it, on this machine: a throwaway PostgreSQL,
 * three nodes (CLUSTER_NODES) and nginx in front on 127.0.0.1:CLUSTER_PORT (infra/start-cluster.ts),
 * with the demo data. Prints the URL, runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything
 * it started and removes its temporary folder.
 */
import { startCluster } from './start-cluster.ts';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a positive integer (got "${raw}")`);
    process.exit(1);
  }
  return value;
}

const nodes = positive('CLUSTER_NODES', 3);
const port = positive('CLUSTER_PORT', 8080);

console.log(`Starting PostgreSQL, ${nodes} nodes and nginx…`);
const cluster = await startCluster({ nodes, port, web: true, seedDemo: true, echo: true }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping nginx, the nodes and PostgreSQL…`);
  await cluster.stop();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

for (const node of cluster.nodes) {
  console.log(`  node ${node.index}: ${node.url} (pid ${node.pid()}, data and log in ${node.dataDir})`);
}
console.log(`\nThe cluster is up: ${cluster.url}  (nginx in front of ${nodes} nodes; Ctrl-C stops it all)\n`);
