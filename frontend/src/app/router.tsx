import { createBrowserRouter, Navigate } from 'react-router';
import { AdminLayout } from '../features/admin/admin-layout.tsx';
import { AuditPage } from '../features/admin/audit/audit-page.tsx';
import { PluginPage } from '../features/admin/plugins/plugin-page.tsx';
import { PluginsPage } from '../features/admin/plugins/plugins-page.tsx';
import { RolesPage } from '../features/admin/roles/roles-page.tsx';
import { UsersPage } from '../features/admin/users/users-page.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { RequireSession } from '../features/auth/require-session.tsx';
import { SetupPage } from '../features/auth/setup-page.tsx';
import { HomePage } from '../features/home/home-page.tsx';
import { NotFoundPage } from '../features/not-found/not-found-page.tsx';
import { PluginPageRoute } from '../features/plugins/plugin-page.tsx';
import { RouteErrorPage } from './route-error-page.tsx';
import { AppLayout } from './shell/app-layout.tsx';

export function createAppRouter() {
  return createBrowserRouter([
    { path: '/setup', element: <SetupPage />, errorElement: <RouteErrorPage /> },
    { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
    {
      element: (
        <RequireSession>
          <AppLayout />
        </RequireSession>
      ),
      errorElement: <RouteErrorPage />,
      children: [
        { index: true, element: <HomePage /> },
        {
          path: 'admin',
          element: <AdminLayout />,
          children: [
            { index: true, element: <Navigate to="/admin/users" replace /> },
            { path: 'users', element: <UsersPage /> },
            { path: 'roles', element: <RolesPage /> },
            { path: 'audit', element: <AuditPage /> },
            { path: 'plugins', element: <PluginsPage /> },
            { path: 'plugins/:id', element: <PluginPage /> },
          ],
        },
        // Plugin pages, loaded from each plugin's bundle at run time.
        { path: 'plugins/:pluginId/*', element: <PluginPageRoute /> },
        // Inside the signed-in frame, so an unknown path keeps the top bar and its way back.
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
