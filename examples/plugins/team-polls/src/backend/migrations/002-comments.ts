import { defineMigration } from '@polyphony/plugin-sdk';
import { COMMENTS, POLLS } from '../tables.ts';

/** 1.1.0: comments under a poll. Appended after 001, which has shipped and never changes. */
export const commentsMigration = defineMigration({
  name: '002-comments',
  async up(db) {
    await db.schema
      .createTable(COMMENTS)
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('poll_id', 'text', (col) =>
        col.notNull().references(`${POLLS}.id`).onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('plugin_team_polls_comments_poll_idx')
      .on(COMMENTS)
      .columns(['poll_id', 'created_at'])
      .execute();
  },
});
