// The plugin's pages. The host loads build/frontend/index.js, which `polyphony-plugin build`
// bundles from this file with React and @polyphony/plugin-sdk/web left out: the host's page
// provides them. The contract: docs/plugins/frontend.md in Polyphony's repository.
import { definePluginFrontend } from '@polyphony/plugin-sdk/web';
import { GreetingsPage } from './greetings-page.tsx';

export default definePluginFrontend({
  pages: [
    // `/` is /plugins/{{id}} in the app; it takes the roles of the navigation link with the same path.
    { path: '/', component: GreetingsPage, title: 'Greetings' },
  ],
});
