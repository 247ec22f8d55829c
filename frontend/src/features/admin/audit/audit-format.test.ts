import { describe, expect, it } from 'vitest';
import { actionLabel, describeActor, describeTarget, summarizeDetails } from './audit-format.ts';

describe('actionLabel', () => {
  it('names known actions and keeps unknown ones as they are', () => {
    expect(actionLabel('user.roles_changed')).toBe('Roles changed');
    expect(actionLabel('plugin.notes.created')).toBe('plugin.notes.created');
  });
});

describe('describeActor', () => {
  it('tells anonymous, CLI, bootstrap and user actors apart', () => {
    expect(describeActor(null)).toEqual({ name: 'Anonymous', note: 'not signed in' });
    expect(describeActor({ id: null, username: 'cli' })).toEqual({
      name: 'cli',
      note: 'operator command line',
    });
    expect(describeActor({ id: null, username: 'bootstrap' }).note).toBe(
      'created from the environment at start',
    );
    expect(describeActor({ id: null, username: 'other' }).note).toBe('system');
    expect(describeActor({ id: 'u1', username: 'ada' })).toEqual({ name: 'ada', note: null });
  });
});

describe('describeTarget', () => {
  it('prefers the label, then the id', () => {
    expect(describeTarget({ type: 'user', id: 'u1', label: 'ada' })).toBe('user ada');
    expect(describeTarget({ type: 'role', id: 'qa', label: null })).toBe('role qa');
    expect(describeTarget({ type: 'system', id: null, label: null })).toBe('system');
    expect(describeTarget(null)).toBeNull();
  });
});

describe('summarizeDetails', () => {
  it('shows role changes as before → after', () => {
    expect(summarizeDetails({ before: ['viewer'], after: ['viewer', 'editor'] })).toBe(
      'viewer → viewer, editor',
    );
    expect(summarizeDetails({ before: [], after: ['admin'] })).toBe('(none) → admin');
  });

  it('shows a refusal by its code, with anything else it carries', () => {
    expect(summarizeDetails({ code: 'LAST_ADMIN' })).toBe('LAST_ADMIN');
    expect(summarizeDetails({ code: 'LAST_ADMIN', roles: ['viewer'] })).toBe(
      'LAST_ADMIN · {"roles":["viewer"]}',
    );
  });

  it('falls back to compact JSON, and to nothing when empty', () => {
    expect(summarizeDetails({ username: 'ada' })).toBe('{"username":"ada"}');
    expect(summarizeDetails({})).toBeNull();
    expect(summarizeDetails(null)).toBeNull();
  });
});
