import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'backend',
      'frontend',
      'packages/plugin-sdk',
      'packages/plugin-format',
      'packages/plugin-kit',
      'examples/plugins/team-polls',
      'bench',
    ],
  },
});
