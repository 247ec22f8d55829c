import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: 'team-polls',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The plugin's tests build it with the kit and boot a real host: more than a unit test's time.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
