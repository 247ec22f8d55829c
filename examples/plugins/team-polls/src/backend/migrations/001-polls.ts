import { defineMigration } from '@polyphony/plugin-sdk';
import { OPTIONS, POLLS, VOTES } from '../tables.ts';

/** 1.0.0: polls, their options, and one vote per user per poll. */
export const pollsMigration = defineMigration({
  name: '001-polls',
  async up(db) {
    await db.schema
      .createTable(POLLS)
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('question', 'text', (col) => col.notNull())
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('closes_at', 'text')
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema
      .createIndex('plugin_team_polls_polls_created_idx')
      .on(POLLS)
      .column('created_at')
      .execute();

    // ON DELETE CASCADE: deleting a poll takes its options and votes (and, from 1.1.0, its
    // comments) with it, on both databases (the host turns SQLite's foreign keys on).
    await db.schema
      .createTable(OPTIONS)
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('poll_id', 'text', (col) =>
        col.notNull().references(`${POLLS}.id`).onDelete('cascade'),
      )
      .addColumn('position', 'integer', (col) => col.notNull())
      .addColumn('label', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('plugin_team_polls_options_poll_idx')
      .on(OPTIONS)
      .columns(['poll_id', 'position'])
      .unique()
      .execute();

    await db.schema
      .createTable(VOTES)
      .addColumn('poll_id', 'text', (col) =>
        col.notNull().references(`${POLLS}.id`).onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('option_id', 'text', (col) =>
        col.notNull().references(`${OPTIONS}.id`).onDelete('cascade'),
      )
      .addColumn('voted_at', 'text', (col) => col.notNull())
      // The key is the rule: one vote per user per poll, whatever the code above it does.
      .addPrimaryKeyConstraint('plugin_team_polls_votes_pk', ['poll_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('plugin_team_polls_votes_option_idx')
      .on(VOTES)
      .column('option_id')
      .execute();
  },
});
