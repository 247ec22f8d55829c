import { definePluginFrontend } from '@polyphony/plugin-sdk/web';
import { pollPages } from '../../../../src/frontend/pages.tsx';

/** team-polls 1.0.0, kept to test the upgrade path: the shared pages, without comments. */
export default definePluginFrontend(pollPages());
