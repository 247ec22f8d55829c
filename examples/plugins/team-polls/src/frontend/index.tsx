import { definePluginFrontend } from '@polyphony/plugin-sdk/web';
import { PollComments } from './comments.tsx';
import { pollPages } from './pages.tsx';

/** team-polls 1.1.0: the pages of 1.0.0, with comments under each poll. */
export default definePluginFrontend(pollPages({ pollFooter: PollComments }));
