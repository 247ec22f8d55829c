// The probe plugin's page: plain ES module, React and the SDK from the host's import map.
import { createElement as h } from 'react';
import { definePluginFrontend, usePlugin } from '@polyphony/plugin-sdk/web';

function ProbePage() {
  const plugin = usePlugin();
  return h(
    'section',
    { 'data-bench-page': plugin.id },
    h('h1', null, plugin.name),
    h('p', null, `Version ${plugin.version}`),
  );
}

export default definePluginFrontend({
  pages: [{ path: '/', component: ProbePage, title: 'Probe' }],
});
