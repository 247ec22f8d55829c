import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: 'plugin-kit',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // Builds, packs and spawned CLIs: seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
