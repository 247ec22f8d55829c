import type { Scenario } from '../lib/types.ts';

/** Not written yet. */
export const startup: Scenario = () =>
  Promise.reject(new Error('the startup scenario is not written yet'));
