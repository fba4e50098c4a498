import { defineConfig } from 'vitest/config';

// The cluster tests (npm run test:cluster): each file starts its own cluster (PostgreSQL, three
// node processes, nginx: infra/start-cluster.ts), so files run one after the other.
export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
