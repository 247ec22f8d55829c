import type { Scenario } from '../lib/types.ts';

/** Not written yet. */
export const lifecycle: Scenario = () =>
  Promise.reject(new Error('the lifecycle scenario is not written yet'));
