import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import { createPluginTestApp, packPlugin, type PluginTestApp } from '../plugin-app.ts';
import { notesV110, notesWithBackend } from './notes-versions.ts';

interface DataBody {
  tables: { name: string; rows: number }[];
}

describe.each(dialects)(
  'what uninstalling would delete: GET /admin/plugins/:id/data (%s)',
  (dialect) => {
    let t: PluginTestApp;
    beforeEach(async () => {
      t = await createPluginTestApp(dialect);
    });
    afterEach(async () => {
      await t.close();
    });

    const data = () => t.admin.get<DataBody>('/api/v1/admin/plugins/notes/data');
    const addNotes = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const created = await t.admin.post('/api/v1/plugins/notes/notes', { text: `note ${i}` });
        expect(created.status).toBe(201);
      }
    };

    it('counts the rows of each table the plugin owns, through install, upgrade and deactivation', async () => {
      expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
      expect((await data()).body).toEqual({ tables: [{ name: 'plugin_notes_notes', rows: 0 }] });

      await addNotes(3);
      const counted = await data();
      expect(counted.status).toBe(200);
      // A number on both databases (PostgreSQL answers count(*) as a bigint string).
      expect(counted.body).toEqual({ tables: [{ name: 'plugin_notes_notes', rows: 3 }] });

      expect((await t.upload(await notesV110())).status).toBe(200);
      expect((await data()).body).toEqual({
        tables: [
          { name: 'plugin_notes_notes', rows: 3 },
          { name: 'plugin_notes_tags', rows: 0 },
        ],
      });

      // Deactivated: the data is kept, so it is still counted.
      expect((await t.admin.post('/api/v1/admin/plugins/notes/deactivate')).status).toBe(200);
      expect((await data()).body.tables[0]).toEqual({ name: 'plugin_notes_notes', rows: 3 });
    });

    it('lists no tables for a plugin whose migrations created none', async () => {
      const archive = await notesWithBackend('export default { routes() {} };');
      expect((await t.upload(archive)).status).toBe(201);
      expect((await data()).body).toEqual({ tables: [] });
    });

    it('is 404 PLUGIN_NOT_FOUND for an unknown id, an invalid id, and after an uninstall', async () => {
      for (const id of ['notes', 'Not_An_Id']) {
        const response = await t.admin.get(`/api/v1/admin/plugins/${id}/data`);
        expect(response.status, id).toBe(404);
        expect(response.body).toMatchObject({ error: { code: 'PLUGIN_NOT_FOUND' } });
      }
      expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
      expect((await t.admin.delete('/api/v1/admin/plugins/notes')).status).toBe(204);
      expect((await data()).status).toBe(404);
    });

    it('is for admins only', async () => {
      expect((await t.upload(await packPlugin('notes'))).status).toBe(201);
      expect((await t.anonymous().get('/api/v1/admin/plugins/notes/data')).status).toBe(401);
      const editor = await t.userWith('eddie', ['editor', 'viewer']);
      const refused = await editor.get('/api/v1/admin/plugins/notes/data');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });
  },
);
