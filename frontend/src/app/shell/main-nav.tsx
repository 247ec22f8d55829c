import { ActionIcon, Button, Group, NavLink, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import type { NavItem } from '../../lib/api-types.ts';
import { activeNavPath, isInAppPath } from '../../features/navigation/nav-items.ts';
import { useNavigation } from '../../features/navigation/navigation-query.ts';
import { NavIcon } from './nav-icon.tsx';

/** Where the items are drawn: a row in the top bar, or a column in the phone drawer. */
export type MainNavLayout = 'bar' | 'drawer';

export interface MainNavProps {
  layout: MainNavLayout;
  /** Called after an item is chosen, so the drawer can close. */
  onNavigate?: () => void;
}

/** The items the server sends for this user, core and plugin alike, rendered as they come. */
export function MainNav({ layout, onNavigate }: MainNavProps) {
  const navigation = useNavigation();
  const { pathname } = useLocation();

  // A failed refetch (they happen on every route change) keeps the items already shown.
  if (navigation.data === undefined) {
    if (!navigation.isError) return <NavSkeleton layout={layout} />;
    return (
      <Group gap={6} wrap="nowrap">
        <Text size="sm" c="dimmed">
          Navigation unavailable
        </Text>
        <Tooltip label="Try loading the navigation again">
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Reload navigation"
            loading={navigation.isFetching}
            onClick={() => void navigation.refetch()}
          >
            <IconRefresh size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    );
  }

  const activePath = activeNavPath(
    navigation.data.map((item) => item.path),
    pathname,
  );
  const links = navigation.data.map((item) => {
    const active = item.path === activePath;
    return layout === 'bar' ? (
      <BarLink key={item.id} item={item} active={active} />
    ) : (
      <DrawerLink key={item.id} item={item} active={active} onNavigate={onNavigate} />
    );
  });

  return layout === 'bar' ? (
    <Group component="nav" aria-label="Main" gap={4} wrap="nowrap" style={{ overflowX: 'auto' }}>
      {links}
    </Group>
  ) : (
    <Stack component="nav" aria-label="Main" gap={2}>
      {links}
    </Stack>
  );
}

interface NavLinkProps {
  item: NavItem;
  active: boolean;
  onNavigate?: (() => void) | undefined;
}

function BarLink({ item, active }: NavLinkProps) {
  const common = {
    variant: active ? 'light' : 'subtle',
    color: active ? undefined : 'gray',
    size: 'sm',
    leftSection: <NavIcon iconName={item.icon} />,
    'aria-current': active ? ('page' as const) : undefined,
    styles: { label: { fontWeight: active ? 600 : 500 } },
  };
  return isInAppPath(item.path) ? (
    <Button component={Link} to={item.path} {...common}>
      {item.label}
    </Button>
  ) : (
    <Button component="a" href={item.path} {...common}>
      {item.label}
    </Button>
  );
}

function DrawerLink({ item, active, onNavigate }: NavLinkProps) {
  const common = {
    label: item.label,
    active,
    leftSection: <NavIcon iconName={item.icon} />,
    'aria-current': active ? ('page' as const) : undefined,
    onClick: onNavigate,
    styles: { root: { borderRadius: 'var(--mantine-radius-md)' } },
  };
  return isInAppPath(item.path) ? (
    <NavLink component={Link} to={item.path} {...common} />
  ) : (
    <NavLink component="a" href={item.path} {...common} />
  );
}

function NavSkeleton({ layout }: { layout: MainNavLayout }) {
  const bars = [72, 96, 64].map((width) => (
    <Skeleton
      key={width}
      height={layout === 'bar' ? 28 : 36}
      width={layout === 'bar' ? width : '100%'}
    />
  ));
  return layout === 'bar' ? (
    <Group gap="xs" aria-hidden wrap="nowrap">
      {bars}
    </Group>
  ) : (
    <Stack gap="xs" aria-hidden>
      {bars}
    </Stack>
  );
}
