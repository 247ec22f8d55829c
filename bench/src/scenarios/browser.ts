import type { Scenario } from '../lib/types.ts';

/** Not written yet. */
export const browser: Scenario = () =>
  Promise.reject(new Error('the browser scenario is not written yet'));
