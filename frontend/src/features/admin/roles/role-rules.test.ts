import { describe, expect, it } from 'vitest';
import { roleNameProblem } from './role-rules.ts';

describe('roleNameProblem', () => {
  it('accepts lowercase letters, digits and hyphens, 2–32 characters', () => {
    for (const name of ['qa', 'release-managers', 'team-2', 'x'.repeat(32)]) {
      expect(roleNameProblem(name)).toBeNull();
    }
  });

  it('explains what is wrong', () => {
    expect(roleNameProblem('')).toBe('Enter a name.');
    expect(roleNameProblem('a')).toMatch(/at least 2/);
    expect(roleNameProblem('x'.repeat(33))).toMatch(/at most 32/);
    expect(roleNameProblem('Editors')).toMatch(/lowercase/);
    expect(roleNameProblem('team_a')).toMatch(/lowercase/);
  });
});
