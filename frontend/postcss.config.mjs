// .mjs rather than Mantine's suggested .cjs: the repository's ESLint config only exempts .js/.mjs
// from type-aware linting, and this file belongs to no TypeScript project.
// Mantine's components read these breakpoints in their CSS; keep them equal to the theme's defaults.
export default {
  plugins: {
    'postcss-preset-mantine': {},
    'postcss-simple-vars': {
      variables: {
        'mantine-breakpoint-xs': '36em',
        'mantine-breakpoint-sm': '48em',
        'mantine-breakpoint-md': '62em',
        'mantine-breakpoint-lg': '75em',
        'mantine-breakpoint-xl': '88em',
      },
    },
  },
};
