import { describe, expect, it } from 'vitest';
import { actionLabel, describeActor, describeTarget, summarizeDetails } from './audit-format.ts';

describe('actionLabel', () => {
  it('names known actions and keeps unknown ones as they are', () => {
    expect(actionLabel('user.roles_changed')).toBe('Roles changed');
    expect(actionLabel('plugin.notes.created')).toBe('plugin.notes.created');
  });

  it('names every plugin operation', () => {
    expect(
      [
        'plugin.installed',
        'plugin.upgraded',
        'plugin.activated',
        'plugin.deactivated',
        'plugin.uninstalled',
        'plugin.settings_changed',
      ].map(actionLabel),
    ).toEqual([
      'Plugin installed',
      'Plugin upgraded',
      'Plugin activated',
      'Plugin deactivated',
      'Plugin uninstalled',
      'Plugin settings changed',
    ]);
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

  it("shows a refusal's message as text", () => {
    expect(summarizeDetails({ code: 'ROLE_IN_USE', message: 'Still held by 2 users.' })).toBe(
      'ROLE_IN_USE · Still held by 2 users.',
    );
  });

  it('shows plugin operations by version and what they ran, dropped or changed', () => {
    expect(summarizeDetails({ version: '1.0.0', migrations: ['001-notes'] })).toBe(
      'version 1.0.0 · migrations run: 001-notes',
    );
    expect(summarizeDetails({ version: '1.1.0', from: '1.0.0', migrations: [] })).toBe(
      '1.0.0 → 1.1.0 · migrations run: (none)',
    );
    expect(summarizeDetails({ version: '1.0.0' })).toBe('version 1.0.0');
    expect(
      summarizeDetails({ version: '1.0.0', dropped: ['plugin_notes_notes', 'plugin_notes_idx'] }),
    ).toBe('version 1.0.0 · dropped: plugin_notes_notes, plugin_notes_idx');
    expect(summarizeDetails({ version: '1.0.0', changed: ['title', 'apiToken'] })).toBe(
      'version 1.0.0 · changed: title, apiToken',
    );
    expect(
      summarizeDetails({
        version: '1.0.0',
        reason: 'it failed to start right after installing; the install was undone',
        dropped: [],
      }),
    ).toBe(
      'version 1.0.0 · dropped: (none) · it failed to start right after installing; the install was undone',
    );
  });

  it('shows a refused plugin operation by code, message and versions', () => {
    expect(
      summarizeDetails({
        version: null,
        code: 'MANIFEST_INVALID',
        message: 'plugin.json is invalid: id is reserved.',
      }),
    ).toBe('MANIFEST_INVALID · plugin.json is invalid: id is reserved.');
    expect(
      summarizeDetails({
        version: '1.0.0',
        from: '1.0.0',
        code: 'PLUGIN_VERSION_EXISTS',
        message: 'Notes 1.0.0 is already installed.',
      }),
    ).toBe('PLUGIN_VERSION_EXISTS · Notes 1.0.0 is already installed. · 1.0.0 → 1.0.0');
  });

  it('keeps known fields of an unexpected type, rather than hiding them', () => {
    expect(summarizeDetails({ version: 2, code: 42 })).toBe('{"code":42,"version":2}');
  });

  it('falls back to compact JSON, and to nothing when empty', () => {
    expect(summarizeDetails({ username: 'ada' })).toBe('{"username":"ada"}');
    expect(summarizeDetails({})).toBeNull();
    expect(summarizeDetails(null)).toBeNull();
  });
});
