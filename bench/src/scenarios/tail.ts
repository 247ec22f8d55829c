import type { Scenario } from '../lib/types.ts';

/** Not written yet. */
export const tail: Scenario = () =>
  Promise.reject(new Error('the tail scenario is not written yet'));
