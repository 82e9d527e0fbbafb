import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // CLI tests spawn the built bin/; keep the suite deterministic and bounded.
    pool: 'forks',
    // Vitest's default leaves one core idle: on a 2-core machine that runs the files one by one.
    // Half the suite waits on child processes (QEMU, packed installs, shells), so use every core.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
