import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test boots a Polyphony host in the process and installs the plugin: seconds, not ms.
    testTimeout: 30_000,
  },
});
