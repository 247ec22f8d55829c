import { Button, Group, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconHistory, IconPlug, IconShieldLock, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { useIsAdmin } from '../auth/session-context.tsx';
import { isNavItemActive } from '../navigation/nav-items.ts';
import { NoAccessPanel } from './no-access-panel.tsx';

interface Section {
  path: string;
  label: string;
  icon: ReactNode;
}

const SECTIONS: readonly Section[] = [
  { path: '/admin/users', label: 'Users', icon: <IconUsers size={16} aria-hidden /> },
  { path: '/admin/roles', label: 'Roles', icon: <IconShieldLock size={16} aria-hidden /> },
  { path: '/admin/plugins', label: 'Plugins', icon: <IconPlug size={16} aria-hidden /> },
  { path: '/admin/audit', label: 'Audit log', icon: <IconHistory size={16} aria-hidden /> },
];

export function AdminLayout() {
  const isAdmin = useIsAdmin();
  if (!isAdmin) return <NoAccessForNonAdmins />;

  return (
    <Stack gap="lg">
      <PageHeader
        title="Administration"
        description="People, their roles, plugins, and a record of what changed."
      />
      <AdminSectionNav />
      <Outlet />
    </Stack>
  );
}

function NoAccessForNonAdmins() {
  useDocumentTitle('No access · Polyphony');
  return <NoAccessPanel />;
}

function AdminSectionNav() {
  const { pathname } = useLocation();
  return (
    <Group
      component="nav"
      aria-label="Administration sections"
      gap={4}
      wrap="nowrap"
      pb={4}
      style={{ overflowX: 'auto', borderBottom: '1px solid var(--mantine-color-gray-3)' }}
    >
      {SECTIONS.map((section) => {
        const active = isNavItemActive(section.path, pathname);
        return (
          <Button
            key={section.path}
            component={Link}
            to={section.path}
            variant={active ? 'light' : 'subtle'}
            color={active ? undefined : 'gray'}
            size="sm"
            leftSection={section.icon}
            aria-current={active ? 'page' : undefined}
            style={{ flexShrink: 0 }}
          >
            {section.label}
          </Button>
        );
      })}
    </Group>
  );
}
