import { describe, expect, it } from 'vitest';
import { coreNavigation, navigationFor, type NavSource } from './navigation.ts';

const viewer = { id: 'u1', username: 'vera', roles: ['viewer'] };
const admin = { id: 'u2', username: 'ada', roles: ['admin', 'editor'] };

describe('navigationFor', () => {
  it('shows the Admin item to admins only', async () => {
    const forViewer = await navigationFor(viewer, [coreNavigation]);
    const forAdmin = await navigationFor(admin, [coreNavigation]);
    expect(forViewer.map((i) => i.label)).toEqual(['Home']);
    expect(forAdmin.map((i) => i.label)).toEqual(['Home', 'Admin']);
  });

  it('keeps items whose roles intersect the user roles, from every source', async () => {
    const extra: NavSource = () =>
      Promise.resolve([
        {
          id: 'p.1',
          label: 'Editors',
          path: '/e',
          icon: null,
          source: 'plugin',
          roles: ['editor'],
        },
        {
          id: 'p.2',
          label: 'Viewers',
          path: '/v',
          icon: null,
          source: 'plugin',
          roles: ['viewer', 'x'],
        },
      ]);
    expect((await navigationFor(viewer, [extra])).map((i) => i.id)).toEqual(['p.2']);
    const items = await navigationFor(admin, [coreNavigation, extra]);
    expect(items.map((i) => i.id)).toEqual(['core.home', 'core.admin', 'p.1']);
    expect(items[0]).not.toHaveProperty('roles');
  });
});
