import path from 'node:path';
import { browserSettings, pluginIdSchema } from '@polyphony/plugin-format';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { AppError } from '../errors/app-error.ts';
import type { AppEnv } from '../http/app-env.ts';
import { auditContext } from '../http/audit-context.ts';
import { requireUser } from '../http/middleware.ts';
import { readJson, readQuery } from '../http/validate.ts';
import { z } from 'zod';
import { servePluginAsset } from './assets/plugin-assets.ts';
import { receiveUpload } from './archive/upload.ts';
import type { PluginManager } from './plugin-manager.ts';
import { frontendEntryUrl, type PluginRuntime } from './plugin-runtime.ts';

export interface PluginHttp {
  manager: PluginManager;
  runtime: PluginRuntime;
  maxUploadBytes: number;
}

export const PLUGIN_UPLOAD_PATH = '/api/v1/admin/plugins';

/** An id from the URL, checked before it names any folder, table or route. */
function pluginId(c: Context): string {
  const parsed = pluginIdSchema.safeParse(c.req.param('id'));
  if (!parsed.success) throw new AppError('PLUGIN_NOT_FOUND', 'No plugin has that id.');
  return parsed.data;
}

const settingsBody = z.object({ values: z.record(z.string(), z.unknown()) }).strict();
/** `?replace=true`: accept the installed version again (the plugin kit's `dev` loop). */
const uploadQuery = z.object({ replace: z.enum(['true', 'false']).optional() });

/** `/api/v1/admin/plugins`: mounted behind the admin role check. */
export function createAdminPluginRoutes({ manager, maxUploadBytes }: PluginHttp) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ plugins: await manager.list() }))
    .post('/', async (c) => {
      const { replace } = readQuery(c, uploadQuery);
      const result = await manager.install(
        () =>
          receiveUpload(c.req.raw, {
            maxBytes: maxUploadBytes,
            directory: manager.files.stagingRoot,
          }),
        auditContext(c),
        { replace: replace === 'true' },
      );
      return c.json(result, result.upgradedFrom === null ? 201 : 200);
    })
    .get('/:id', async (c) => c.json({ plugin: await manager.get(pluginId(c)) }))
    .post('/:id/activate', async (c) =>
      c.json({ plugin: await manager.activate(pluginId(c), auditContext(c)) }),
    )
    .post('/:id/deactivate', async (c) =>
      c.json({ plugin: await manager.deactivate(pluginId(c), auditContext(c)) }),
    )
    .delete('/:id', async (c) => {
      await manager.uninstall(pluginId(c), auditContext(c));
      return c.body(null, 204);
    })
    .get('/:id/data', async (c) => c.json(await manager.data(pluginId(c))))
    .get('/:id/settings', async (c) => c.json(await manager.settings(pluginId(c))))
    .put('/:id/settings', async (c) => {
      const id = pluginId(c);
      const { values } = await readJson(c, settingsBody);
      return c.json(await manager.updateSettings(id, values, auditContext(c)));
    });
}

/** `/api/v1/plugins`: the active plugins' frontends for the web app, and each plugin's own API. */
export function createPluginApiRoutes({ runtime }: PluginHttp) {
  const dispatch = (c: Context<AppEnv>) => runtime.dispatch(c);
  return new Hono<AppEnv>()
    .get('/', requireUser, async (c) => {
      const withFrontends = runtime.list().flatMap((plugin) => {
        const entry = frontendEntryUrl(plugin);
        return entry === null ? [] : [{ plugin, entry }];
      });
      const plugins = await Promise.all(
        withFrontends.map(async ({ plugin, entry }) => {
          const { id, name, version, navigation = [], settings = null } = plugin.manifest;
          return {
            id,
            name,
            version,
            frontend: { entry },
            // The manifest's links with their roles: a page takes the roles of its link.
            navigation: navigation.map(({ label, path, roles }) => ({ label, path, roles })),
            settings: browserSettings(settings, await plugin.ctx.settings.get()),
          };
        }),
      );
      return c.json({ plugins });
    })
    .all('/:id', dispatch)
    .all('/:id/*', dispatch);
}

/**
 * `/plugin-assets/:id/:hash/*`: an active plugin's frontend folder. The hash pins a version, so
 * files are cached for good and an upgrade changes every URL.
 */
export function mountPluginAssets(app: Hono<AppEnv>, { runtime }: PluginHttp): void {
  app.on(['GET', 'HEAD'], '/plugin-assets/:id/:hash/*', async (c) => {
    const plugin = runtime.get(c.req.param('id'));
    const hash = c.req.param('hash');
    if (!plugin?.entries.frontendDir || hash.length !== 12 || !plugin.sha256.startsWith(hash)) {
      throw new AppError('NOT_FOUND', 'No such plugin asset.');
    }
    const prefix = `/plugin-assets/${plugin.manifest.id}/${hash}/`;
    const rawPath = new URL(c.req.url).pathname;
    return servePluginAsset(
      c,
      path.join(plugin.folder, plugin.entries.frontendDir),
      rawPath.slice(prefix.length),
      { immutable: true },
    );
  });
}
