// The two example plugins of examples/plugins, built and packed by the kit, through their whole
// life in the real host on every database: install, use by role, upgrade, deactivate, activate,
// uninstall, reinstall.
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../databases.ts';
import { createPluginTestApp, listTree, tablesLike, type PluginTestApp } from '../plugin-app.ts';
import type { TestClient } from '../test-app.ts';
import { packExamples, type ExampleArchives } from './example-archives.ts';

interface PluginBody {
  plugin: { id: string; version: string; state: string; tables: string[] };
  upgradedFrom: string | null;
}

interface PollBody {
  poll: { id: string; options: { id: string; votes: number | null }[]; totalVotes: number | null };
}

const POLLS_PREFIX = 'plugin_team_polls_';
const V100_TABLES = [
  'plugin_team_polls_options',
  'plugin_team_polls_polls',
  'plugin_team_polls_votes',
];
const V110_TABLES = [...V100_TABLES, 'plugin_team_polls_comments'].sort();

let archives: ExampleArchives;

beforeAll(async () => {
  archives = await packExamples();
}, 120_000);

describe.each(dialects)('the example plugins, built by the kit (%s)', (dialect) => {
  let t: PluginTestApp;
  beforeEach(async () => {
    t = await createPluginTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const rowCount = async (table: string) => {
    const rows = await t.services.db
      .selectFrom(table as never)
      .selectAll()
      .execute();
    return rows.length;
  };
  const migrationsOf = async (id: string) =>
    t.services.db
      .selectFrom('plugins_migrations')
      .select(['name', 'executed_at'])
      .where('plugin_id', '=', id)
      .orderBy('position')
      .execute();
  const navLabels = async (client: TestClient) => {
    const nav = await client.get<{ items: { id: string; label: string }[] }>('/api/v1/navigation');
    return nav.body.items.filter((i) => i.id.startsWith('plugin.')).map((i) => i.label);
  };

  it('hello: installs, greets signed-in and anonymous callers from its setting, upgrades, uninstalls', async () => {
    const installed = await t.upload<PluginBody>(archives.hello, 'hello-1.0.0.zip');
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    expect(installed.body.plugin).toMatchObject({ id: 'hello', version: '1.0.0', state: 'active' });

    expect((await t.admin.get('/api/v1/plugins/hello/greeting')).body).toEqual({
      greeting: 'Hello, ada!',
    });
    expect((await t.anonymous().get('/api/v1/plugins/hello/greeting')).body).toEqual({
      greeting: 'Hello, world!',
    });
    const viewer = await t.userWith('vera', ['viewer']);
    expect(await navLabels(viewer)).toEqual(['Hello']);

    const saved = await t.admin.request('PUT', '/api/v1/admin/plugins/hello/settings', {
      values: { greeting: 'Welcome' },
    });
    expect(saved.status).toBe(200);
    expect((await viewer.get('/api/v1/plugins/hello/greeting')).body).toEqual({
      greeting: 'Welcome, vera!',
    });
    // The bundle the kit built is served.
    const { body } = await t.admin.get<{ plugin: { frontend: { entry: string } } }>(
      '/api/v1/admin/plugins/hello',
    );
    expect((await t.app.request(body.plugin.frontend.entry)).status).toBe(200);

    // 1.0.1: no migration to run; the setting is kept, the old bundle URL is gone.
    const upgraded = await t.upload<PluginBody>(archives.hello101, 'hello-1.0.1.zip');
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    expect(upgraded.body).toMatchObject({
      upgradedFrom: '1.0.0',
      plugin: { id: 'hello', version: '1.0.1', state: 'active' },
    });
    expect((await viewer.get('/api/v1/plugins/hello/greeting')).body).toEqual({
      greeting: 'Welcome, vera!',
    });
    expect((await t.app.request(body.plugin.frontend.entry)).status).toBe(404);
    const after = await t.admin.get<{ plugin: { frontend: { entry: string } } }>(
      '/api/v1/admin/plugins/hello',
    );
    expect((await t.app.request(after.body.plugin.frontend.entry)).status).toBe(200);

    expect((await t.admin.delete('/api/v1/admin/plugins/hello')).status).toBe(204);
    expect((await t.anonymous().get('/api/v1/plugins/hello/greeting')).status).toBe(404);
    expect(await listTree(path.join(t.pluginsDir, 'hello'))).toEqual([]);
  });

  it('team-polls: 1.0.0 used by every role → 1.1.0 adds comments, keeps every row → off and on → uninstall → fresh', async () => {
    // 1.0.0: three tables, one migration.
    const installed = await t.upload<PluginBody>(archives.teamPolls100, 'team-polls-1.0.0.zip');
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    expect(installed.body.plugin).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(await tablesLike(t, POLLS_PREFIX)).toEqual(V100_TABLES);
    const ran100 = await migrationsOf('team-polls');
    expect(ran100.map((m) => m.name)).toEqual(['001-polls']);

    // Links by role, and the API guarded by role whatever the links show.
    const editor = await t.userWith('edith', ['editor']);
    const viewer = await t.userWith('vera', ['viewer']);
    await t.admin.post('/api/v1/admin/roles', { name: 'guest', description: 'Visitors' });
    const guest = await t.userWith('gus', ['guest']);
    expect(await navLabels(viewer)).toEqual(['Polls']);
    expect(await navLabels(editor)).toEqual(['Polls', 'New poll']);
    expect(await navLabels(t.admin)).toEqual(['Polls', 'New poll', 'Manage polls']);
    expect(await navLabels(guest)).toEqual([]);
    expect((await guest.get('/api/v1/plugins/team-polls/polls')).status).toBe(403);

    const draft = { question: 'Where do we eat on Friday?', options: ['Pizza', 'Sushi'] };
    expect((await viewer.post('/api/v1/plugins/team-polls/polls', draft)).status).toBe(403);
    const invalid = await editor.post('/api/v1/plugins/team-polls/polls', {
      question: 'Eat?',
      options: ['Pizza', 'pizza'],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: {
          issues: [
            { path: 'question', message: expect.any(String) as string },
            { path: 'options.1', message: expect.any(String) as string },
          ],
        },
      },
    });
    const created = await editor.post<PollBody>('/api/v1/plugins/team-polls/polls', draft);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { poll } = created.body;
    const voteFor = (client: TestClient, index: number) =>
      client.request<PollBody>('PUT', `/api/v1/plugins/team-polls/polls/${poll.id}/vote`, {
        optionId: poll.options[index]?.id,
      });
    expect((await voteFor(viewer, 0)).status).toBe(200);
    expect((await voteFor(editor, 1)).status).toBe(200);
    const adminVote = await voteFor(t.admin, 1);
    expect(adminVote.body.poll.options.map((o) => o.votes)).toEqual([1, 2]);
    const settings = await t.admin.request('PUT', '/api/v1/admin/plugins/team-polls/settings', {
      values: { maxOptions: 4, allowVoteChange: false, resultsVisibility: 'always' },
    });
    expect(settings.status).toBe(200);

    // 1.1.0: only 002-comments runs; 001's record, every row and the settings stay.
    const upgraded = await t.upload<PluginBody>(archives.teamPolls110, 'team-polls-1.1.0.zip');
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    expect(upgraded.body).toMatchObject({
      upgradedFrom: '1.0.0',
      plugin: { version: '1.1.0', state: 'active' },
    });
    expect(await tablesLike(t, POLLS_PREFIX)).toEqual(V110_TABLES);
    const ran110 = await migrationsOf('team-polls');
    expect(ran110.map((m) => m.name)).toEqual(['001-polls', '002-comments']);
    expect(ran110[0]).toEqual(ran100[0]);
    const audit = await t.services.audit.list({ page: 1, pageSize: 5, action: 'plugin.upgraded' });
    expect(audit.entries[0]).toMatchObject({
      outcome: 'success',
      details: { version: '1.1.0', from: '1.0.0', migrations: ['002-comments'] },
    });
    expect(await rowCount('plugin_team_polls_polls')).toBe(1);
    expect(await rowCount('plugin_team_polls_votes')).toBe(3);
    const kept = await viewer.get<PollBody>(`/api/v1/plugins/team-polls/polls/${poll.id}`);
    expect(kept.body.poll.totalVotes).toBe(3); // resultsVisibility "always" survived the upgrade
    expect((await voteFor(viewer, 1)).body).toMatchObject({ error: { code: 'VOTE_LOCKED' } });
    const comment = await viewer.post(`/api/v1/plugins/team-polls/polls/${poll.id}/comments`, {
      body: 'Pizza, as always.',
    });
    expect(comment.status, JSON.stringify(comment.body)).toBe(201);
    const comments = await editor.get<{ comments: { author: string; body: string }[] }>(
      `/api/v1/plugins/team-polls/polls/${poll.id}/comments`,
    );
    expect(comments.body.comments).toEqual([
      expect.objectContaining({ author: 'vera', body: 'Pizza, as always.' }),
    ]);

    // Off and on: no migration runs again, nothing is lost.
    expect((await t.admin.post('/api/v1/admin/plugins/team-polls/deactivate')).status).toBe(200);
    expect((await viewer.get('/api/v1/plugins/team-polls/polls')).status).toBe(404);
    expect(await navLabels(viewer)).toEqual([]);
    expect(await rowCount('plugin_team_polls_comments')).toBe(1);
    expect((await t.admin.post('/api/v1/admin/plugins/team-polls/activate')).status).toBe(200);
    expect(await migrationsOf('team-polls')).toEqual(ran110);
    const back = await viewer.get<{ polls: { id: string; totalVotes: number }[] }>(
      '/api/v1/plugins/team-polls/polls',
    );
    expect(back.body.polls).toEqual([expect.objectContaining({ id: poll.id, totalVotes: 3 })]);

    // Uninstall: every table, the folder and the migration record go.
    expect((await t.admin.delete('/api/v1/admin/plugins/team-polls')).status).toBe(204);
    expect(await tablesLike(t, POLLS_PREFIX)).toEqual([]);
    expect(await listTree(path.join(t.pluginsDir, 'team-polls'))).toEqual([]);
    expect(await migrationsOf('team-polls')).toEqual([]);
    expect((await viewer.get('/api/v1/plugins/team-polls/polls')).status).toBe(404);

    // Reinstall 1.1.0 fresh: both migrations, empty tables, default settings.
    const fresh = await t.upload<PluginBody>(archives.teamPolls110, 'team-polls-1.1.0.zip');
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    expect((await migrationsOf('team-polls')).map((m) => m.name)).toEqual([
      '001-polls',
      '002-comments',
    ]);
    expect(await tablesLike(t, POLLS_PREFIX)).toEqual(V110_TABLES);
    expect((await viewer.get('/api/v1/plugins/team-polls/polls')).body).toEqual({ polls: [] });
    const defaults = await t.admin.get('/api/v1/admin/plugins/team-polls/settings');
    expect(defaults.body).toMatchObject({
      values: { maxOptions: 6, allowVoteChange: true, resultsVisibility: 'after-vote' },
    });
  });
});
