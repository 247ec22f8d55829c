import type { Scenario } from '../lib/types.ts';

/** Not written yet. */
export const requests: Scenario = () => Promise.reject(new Error('not written yet'));
