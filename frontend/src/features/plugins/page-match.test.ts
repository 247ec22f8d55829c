import type { PluginPageDefinition } from '@polyphony/plugin-sdk/web';
import { describe, expect, it } from 'vitest';
import { matchPage, mayOpen, pageRoles, pathInsidePlugin, pluginHref } from './page-match.ts';

const component = () => null;
const page = (path: string, extra: Partial<PluginPageDefinition> = {}): PluginPageDefinition => ({
  path,
  component,
  ...extra,
});

describe('pathInsidePlugin and pluginHref', () => {
  it('strip and add the plugin base', () => {
    expect(pathInsidePlugin('/plugins/notes', 'notes')).toBe('/');
    expect(pathInsidePlugin('/plugins/notes/', 'notes')).toBe('/');
    expect(pathInsidePlugin('/plugins/notes/a/b', 'notes')).toBe('/a/b');
    // A plugin whose id starts like another's is not mistaken for it.
    expect(pathInsidePlugin('/plugins/notes-extra/a', 'notes')).toBe('/');
    expect(pluginHref('notes', '/')).toBe('/plugins/notes');
    expect(pluginHref('notes', '')).toBe('/plugins/notes');
    expect(pluginHref('notes', '/a/1')).toBe('/plugins/notes/a/1');
    expect(pluginHref('notes', 'a')).toBe('/plugins/notes/a');
  });
});

describe('matchPage', () => {
  const pages = [page('/notes/:noteId'), page('/'), page('/notes/new'), page('/files/*')];

  it('ranks static segments above parameters, whatever the order', () => {
    expect(matchPage(pages, '/notes/new')?.page.path).toBe('/notes/new');
    expect(matchPage(pages, '/notes/42')).toEqual({ page: pages[0], params: { noteId: '42' } });
    expect(matchPage(pages, '/')?.page.path).toBe('/');
  });

  it('matches a splat and gives the rest as "*"', () => {
    expect(matchPage(pages, '/files/a/b.txt')).toEqual({
      page: pages[3],
      params: { '*': 'a/b.txt' },
    });
  });

  it('finds nothing for an unknown path', () => {
    expect(matchPage(pages, '/elsewhere')).toBeNull();
    expect(matchPage([], '/')).toBeNull();
  });
});

describe('pageRoles and mayOpen', () => {
  const navigation = [
    { path: '/', roles: ['viewer', 'admin'] },
    { path: '/admin', roles: ['admin'] },
  ];

  it("takes the page's own roles, else its link's, else everyone's", () => {
    expect(pageRoles(page('/admin', { roles: ['auditor'] }), navigation)).toEqual(['auditor']);
    expect(pageRoles(page('/admin'), navigation)).toEqual(['admin']);
    expect(pageRoles(page('/notes/:id'), navigation)).toEqual([]);
  });

  it('lets a user in who holds any of the roles, and anyone when none are needed', () => {
    expect(mayOpen(['admin'], ['viewer'])).toBe(false);
    expect(mayOpen(['viewer', 'admin'], ['viewer'])).toBe(true);
    expect(mayOpen([], [])).toBe(true);
  });
});
