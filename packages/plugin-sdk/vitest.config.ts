import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: 'plugin-sdk',
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
