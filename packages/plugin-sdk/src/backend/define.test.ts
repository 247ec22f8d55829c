import type { Kysely } from 'kysely';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineMigration, definePlugin } from './define.ts';
import type { PluginBackend, PluginContext, PluginMigration } from './types.ts';

interface Tables {
  plugin_polls_polls: { id: string; question: string };
}

describe('definePlugin and defineMigration', () => {
  it('return what they are given, unchanged', () => {
    const migration = { name: '001-polls', up: () => Promise.resolve() };
    expect(defineMigration(migration)).toBe(migration);
    const backend = { migrations: [migration], activate: () => undefined };
    expect(definePlugin(backend)).toBe(backend);
  });

  it('type ctx.db with the tables given, and leave it open without', () => {
    const typed = definePlugin<Tables>({
      routes(_router, ctx) {
        expectTypeOf(ctx.db).toEqualTypeOf<Kysely<Tables>>();
      },
    });
    expectTypeOf(typed).toEqualTypeOf<PluginBackend<Tables>>();
    // A typed definition is still what the host loads.
    expectTypeOf(typed).toExtend<PluginBackend>();

    definePlugin({
      activate(ctx) {
        expectTypeOf(ctx).toEqualTypeOf<PluginContext>();
      },
    });
    expectTypeOf(defineMigration).returns.toEqualTypeOf<PluginMigration>();
  });

  it('refuse members the host does not know, at compile time', () => {
    // @ts-expect-error -- `activated` is not part of the backend contract
    definePlugin({ activated() {} });
  });
});
