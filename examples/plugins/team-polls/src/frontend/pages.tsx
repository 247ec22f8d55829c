import type { PluginFrontendDefinition } from '@polyphony/plugin-sdk/web';
import { ManagePage } from './manage-page.tsx';
import { NewPollPage } from './new-poll-page.tsx';
import { createPollPage, type PollFooter } from './poll-page.tsx';
import { PollsPage } from './polls-page.tsx';
import { SettingsHelp } from './settings-help.tsx';
import { loadStylesheet } from './stylesheet.ts';

export interface PollPagesOptions {
  /** Shown under a poll on its own page: 1.1.0 passes the comments. */
  pollFooter?: PollFooter;
}

/**
 * The pages of every version. A version's entry (src/frontend/index.tsx for 1.1.0,
 * versions/1.0.0/src/frontend/index.tsx for 1.0.0) passes what it adds.
 */
export function pollPages(options: PollPagesOptions = {}): PluginFrontendDefinition {
  // Here rather than at the top of a module: it runs once, when the host loads the bundle.
  loadStylesheet(import.meta.url);
  return {
    pages: [
      // Roles: each page takes those of plugin.json's link with the same path. They only hide
      // pages; the API checks roles on every route.
      { path: '/', component: PollsPage, title: 'Polls' },
      {
        path: '/polls/:pollId',
        component: createPollPage(options.pollFooter ?? null),
        title: 'Poll',
      },
      { path: '/new', component: NewPollPage, title: 'New poll' },
      { path: '/manage', component: ManagePage, title: 'Manage polls' },
    ],
    settingsPage: SettingsHelp,
  };
}
