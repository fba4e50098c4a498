/**
 * The deployment files in infra/ (no Docker engine or cluster here: what can be checked without
 * one): they parse; their probes ask routes the app has, on the port it listens on; their settings
 * are ones the app reads and accepts (loadConfig); every kind of job has a runner; a pod is given
 * more time to stop than its drain may take; nginx accepts the compose cluster's config (`nginx -t`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseAllDocuments } from 'yaml';
import { createTestApp } from './testing.ts';
import { loadConfig } from './config.ts';
import { declaredJobKinds, isJobKind } from './platform/jobs/catalogue.ts';

const INFRA = new URL('../../../infra/', import.meta.url).pathname;
const configSource = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML

function yamlFile(path: string): Doc[] {
  return parseAllDocuments(readFileSync(path, 'utf8'), { merge: true }).map((d) => {
    expect(d.errors, path).toEqual([]);
    return d.toJS() as Doc;
  });
}

const k8s = readdirSync(join(INFRA, 'k8s'))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => yamlFile(join(INFRA, 'k8s', f)));
const ofKind = (kind: string) => k8s.filter((d) => d.kind === kind);
const configMap = ofKind('ConfigMap').find((d) => d.metadata.name === 'opsi-config')!.data as Record<string, string>;
const secret = ofKind('Secret').find((d) => d.metadata.name === 'opsi-secrets')!.stringData as Record<string, string>;

/** A container's environment as the app would see it (its ConfigMap and Secret, then its own env). */
function environment(container: Doc): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, configMap);
    if (from.secretRef) Object.assign(env, secret);
  }
  for (const { name, value } of container.env ?? []) env[name] = value;
  return env;
}

/** Every setting a deployment file sets must be one config.ts reads (a typo would be ignored). */
function expectKnownSettings(env: Record<string, string>, where: string) {
  for (const name of Object.keys(env)) expect(configSource, `${where}: ${name} is not a setting`).toContain(name);
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('Kubernetes manifests (infra/k8s)', () => {
  const deployments = ofKind('Deployment');

  it('has the web nodes and the job runners, each probing routes the app has on its port', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['opsi-jobs', 'opsi-web']);
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      const env = environment(container);
      const config = loadConfig(env);
      expectKnownSettings(env, deployment.metadata.name);
      const port = container.ports.find((p: Doc) => p.name === 'http');
      expect(port.containerPort).toBe(config.port);
      expect(config.host).toBe('0.0.0.0');
      expect(container.readinessProbe.httpGet).toEqual({ path: '/api/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        expect(app.hasRoute({ method: 'GET', url: probe.httpGet.path }), probe.httpGet.path).toBe(true);
      }
      // Time to leave the endpoints, drain and exit before the kubelet kills it.
      const pause = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(pause * 1000 + config.shutdownGraceMs);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
    }
    const web = deployments.find((d) => d.metadata.name === 'opsi-web')!.spec.template.spec.containers[0];
    expect(web.lifecycle.preStop.exec.command[0]).toBe('sleep');
    expect(loadConfig(environment(web)).jobs).toBe(false);
  });

  it('runs every declared kind of job on some runner, and names no other', () => {
    const runners = deployments
      .map((d) => loadConfig(environment(d.spec.template.spec.containers[0])))
      .filter((config) => config.jobs);
    expect(runners.length).toBeGreaterThan(0);
    const named = runners.flatMap((config) => config.jobKinds);
    for (const kind of named) expect(isJobKind(kind), kind).toBe(true);
    const covered = runners.some((config) => config.jobKinds.length === 0) ? declaredJobKinds() : named;
    expect(declaredJobKinds().filter((kind) => !covered.includes(kind))).toEqual([]);
  });

  it('sends the Ingress to the Service, and the Service to the pods’ port, with websocket timeouts', () => {
    const service = ofKind('Service')[0]!;
    expect(service.spec.selector).toEqual(
      deployments.find((d) => d.metadata.name === 'opsi-web')!.spec.selector.matchLabels,
    );
    expect(service.spec.ports[0].targetPort).toBe('http');
    const ingresses = ofKind('Ingress');
    for (const ingress of ingresses) {
      expect(
        Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']),
      ).toBeGreaterThanOrEqual(3600);
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) {
          expect(path.backend.service).toEqual({
            name: service.metadata.name,
            port: { name: service.spec.ports[0].name },
          });
        }
      }
    }
    const socketPaths = ingresses.flatMap((i) =>
      i.spec.rules.flatMap((r: Doc) => r.http.paths.map((p: Doc) => p.path)),
    );
    expect(socketPaths).toContain('/socket.io/');
  });
});

describe('Docker (infra/Dockerfile, infra/compose.yaml)', () => {
  const dockerfile = readFileSync(join(INFRA, 'Dockerfile'), 'utf8');
  const compose = yamlFile(join(INFRA, 'compose.yaml'))[0]!;

  it('builds on Node 24, runs as a user, with a health check on /api/health', () => {
    expect(dockerfile).toMatch(/^FROM node:24\S* AS build$/m);
    expect(dockerfile).toMatch(/^FROM node:24\S* AS runtime$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n +CMD [^\n]*\/api\/health/m);
    expect(app.hasRoute({ method: 'GET', url: '/api/health' })).toBe(true);
    expect(dockerfile).toContain('turbo run build --filter=@opsi/web');
  });

  it('runs PostgreSQL, three nodes with settings the app accepts, and nginx with compose.conf', () => {
    const services = compose.services as Record<string, Doc>;
    expect(Object.keys(services).sort()).toEqual(['migrate', 'nginx', 'node1', 'node2', 'node3', 'postgres']);
    for (const name of ['node1', 'node2', 'node3']) {
      // Compose's ${NAME:-default} and ${NAME:?message} as an operator's shell would fill them.
      const withPassword = Object.fromEntries(
        Object.entries(services[name]!.environment as Record<string, string>).map(([k, v]) => [
          k,
          String(v).replace(/\$\{[A-Z_]+(?::-([^}]*)|:\?[^}]*)\}/g, (_, fallback?: string) => fallback ?? 'secret'),
        ]),
      );
      expectKnownSettings(withPassword, name);
      const config = loadConfig({ ...withPassword, HOST: '0.0.0.0' });
      expect(config.databaseUrl).toMatch(/^postgres:\/\/opsi:secret@postgres:5432\/opsi$/);
      expect(config.trustProxy).toContain(services.nginx!.networks.cluster.ipv4_address);
      expect(Number.parseInt(services[name]!.stop_grace_period, 10) * 1000).toBeGreaterThan(config.shutdownGraceMs);
    }
    expect(services.nginx!.volumes).toContain('./nginx/compose.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  it('has nginx close its idle connections to a node before a draining node would (no POST crossed by a close)', () => {
    const drainIdleWaitMs = loadConfig({}).drainIdleWaitMs;
    for (const file of ['compose.conf', 'cluster.conf']) {
      const conf = readFileSync(join(INFRA, 'nginx', file), 'utf8');
      const pools = conf.match(/\bkeepalive \d+;/g) ?? [];
      const timeouts = [...conf.matchAll(/\bkeepalive_timeout (\d+)s;/g)].map((m) => Number(m[1]) * 1000);
      expect(pools.length, file).toBeGreaterThan(0);
      expect(timeouts.length, `${file}: a keepalive_timeout for each keep-alive pool`).toBe(pools.length);
      for (const timeout of timeouts) expect(timeout, file).toBeLessThan(drainIdleWaitMs);
    }
  });

  it('has an nginx config that nginx accepts', () => {
    const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
    expect(nginx, 'nginx is needed for this check (apt-get install nginx; .ci/run does)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'opsi-nginx-'));
    try {
      // The compose service names resolve only inside compose: loopback addresses stand in.
      const site = readFileSync(join(INFRA, 'nginx', 'compose.conf'), 'utf8').replace(
        /\bnode(\d):3000/g,
        '127.0.0.1:300$1',
      );
      writeFileSync(join(dir, 'site.conf'), site);
      writeFileSync(
        join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir};\n  include ${dir}/site.conf;\n}\n`,
      );
      const out = execFileSync(nginx!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
