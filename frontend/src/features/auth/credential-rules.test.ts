import { describe, expect, it } from 'vitest';
import { normalizeUsername, passwordProblem, usernameProblem } from './credential-rules.ts';

describe('usernameProblem', () => {
  it('accepts what the server accepts', () => {
    for (const name of ['ada', 'a.b', '1st_admin', 'x-y', 'a'.repeat(32), ' Ada ']) {
      expect(usernameProblem(name)).toBeNull();
    }
  });

  it('explains what is wrong', () => {
    expect(usernameProblem('')).toBe('Enter a username.');
    expect(usernameProblem('ab')).toMatch(/at least 3/);
    expect(usernameProblem('a'.repeat(33))).toMatch(/at most 32/);
    expect(usernameProblem('.ada')).toMatch(/starting with a letter or digit/);
    expect(usernameProblem('ada lovelace')).toMatch(/only letters/);
  });
});

describe('normalizeUsername', () => {
  it('trims and lower-cases, as the server does', () => {
    expect(normalizeUsername('  Ada.L ')).toBe('ada.l');
  });
});

describe('passwordProblem', () => {
  it('checks the length limits', () => {
    expect(passwordProblem('')).toBe('Enter a password.');
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('long enough')).toBeNull();
  });
});
