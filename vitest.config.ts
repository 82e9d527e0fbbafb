import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // CLI tests spawn the built bin/; keep the suite deterministic and bounded.
    pool: 'forks',
  },
});
