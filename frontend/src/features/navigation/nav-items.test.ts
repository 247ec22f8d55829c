import { describe, expect, it } from 'vitest';
import { activeNavPath, isInAppPath, isNavItemActive, normalizeIconName } from './nav-items.ts';

describe('isNavItemActive', () => {
  it('matches the home item only on the home page', () => {
    expect(isNavItemActive('/', '/')).toBe(true);
    expect(isNavItemActive('/', '/admin/users')).toBe(false);
  });

  it('matches an item on its own page and the pages below it', () => {
    expect(isNavItemActive('/admin', '/admin')).toBe(true);
    expect(isNavItemActive('/admin', '/admin/users')).toBe(true);
    expect(isNavItemActive('/admin/', '/admin/roles/')).toBe(true);
    expect(isNavItemActive('/plugins/notes?view=all', '/plugins/notes')).toBe(true);
  });

  it('does not match mere prefixes', () => {
    expect(isNavItemActive('/admin', '/administrators')).toBe(false);
  });
});

describe('isInAppPath', () => {
  it('accepts app paths and rejects other origins', () => {
    expect(isInAppPath('/plugins/notes')).toBe(true);
    expect(isInAppPath('//cdn.example/x')).toBe(false);
    expect(isInAppPath('https://example.com')).toBe(false);
  });
});

describe('normalizeIconName', () => {
  it('accepts the spellings plugin authors use', () => {
    expect(normalizeIconName('home')).toBe('home');
    expect(normalizeIconName('IconHome')).toBe('home');
    expect(normalizeIconName('IconUserPlus')).toBe('user-plus');
    expect(normalizeIconName('user_plus')).toBe('user-plus');
    expect(normalizeIconName(' Layout Dashboard ')).toBe('layout-dashboard');
  });
});

describe('activeNavPath', () => {
  const paths = ['/', '/admin', '/plugins/notes', '/plugins/notes/admin'];

  it('lights the most specific item that covers the page', () => {
    expect(activeNavPath(paths, '/plugins/notes/admin')).toBe('/plugins/notes/admin');
    expect(activeNavPath(paths, '/plugins/notes/notes/42')).toBe('/plugins/notes');
    expect(activeNavPath(paths, '/admin/users')).toBe('/admin');
    expect(activeNavPath(paths, '/')).toBe('/');
    expect(activeNavPath(paths, '/elsewhere')).toBeNull();
  });
});
