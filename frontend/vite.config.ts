import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { sharedModulesPlugin } from './build/shared-modules.ts';

// The backend serves the API on 8000; proxying keeps the app same-origin in development, so the
// session cookie (SameSite=Lax) and the CSRF header work exactly as they do in production.
// Plugin bundles come from the backend too.
const apiProxy = {
  '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false },
  '/plugin-assets': { target: 'http://127.0.0.1:8000', changeOrigin: false },
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), sharedModulesPlugin()],
  server: { port: 5173, strictPort: true, proxy: apiProxy },
  preview: { port: 4173, strictPort: true, proxy: apiProxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change far less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /[\\/]node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
            },
            { name: 'mantine', test: /[\\/]node_modules[\\/]@mantine[\\/]/ },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
