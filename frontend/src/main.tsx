// Mantine's base styles first, so the app's own CSS modules can override them.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { registerSharedModules } from './features/plugins/shared-modules.ts';

// Before anything renders: plugin bundles get this app's React and SDK through the import map.
registerSharedModules();

const container = document.getElementById('root');
if (container === null) throw new Error('index.html must contain <div id="root">.');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
