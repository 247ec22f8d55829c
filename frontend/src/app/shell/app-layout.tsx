import { AppShell, Box, Burger, Container, Drawer, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { Brand } from '../../components/brand.tsx';
import { navigationQueryKey } from '../../features/navigation/navigation-query.ts';
import { pluginFrontendsQueryKey } from '../../features/plugins/plugin-frontends.ts';
import classes from './app-layout.module.css';
import { MainNav } from './main-nav.tsx';
import { UserMenu } from './user-menu.tsx';

const MAIN_ID = 'main-content';

/** The signed-in frame: top bar with brand, navigation and account menu; pages render below. */
export function AppLayout() {
  const [drawerOpened, drawer] = useDisclosure(false);
  useRefetchNavigationOnRouteChange();

  return (
    <AppShell header={{ height: 60 }} padding={0}>
      <a href={`#${MAIN_ID}`} className={classes.skipLink}>
        Skip to main content
      </a>

      <AppShell.Header>
        <Group
          h="100%"
          px={{ base: 'sm', sm: 'lg' }}
          gap="sm"
          wrap="nowrap"
          justify="space-between"
        >
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
            <Burger
              opened={drawerOpened}
              onClick={drawer.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Open navigation"
              aria-expanded={drawerOpened}
            />
            <Link to="/" className={classes.brandLink}>
              <Brand />
            </Link>
            <Box visibleFrom="sm" ml="lg" style={{ minWidth: 0 }}>
              <MainNav layout="bar" />
            </Box>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      {/* Phones: the same items in a drawer. It unmounts when closed, so screen readers and
          browser tests never see two copies of each link. */}
      <Drawer
        opened={drawerOpened}
        onClose={drawer.close}
        title={<Brand />}
        size={300}
        hiddenFrom="sm"
        padding="md"
      >
        <MainNav layout="drawer" onNavigate={drawer.close} />
      </Drawer>

      <AppShell.Main id={MAIN_ID} className={classes.main} tabIndex={-1}>
        <Container size="lg" px={{ base: 'md', sm: 'xl' }} py={{ base: 'lg', sm: 32 }}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}

/**
 * Navigation and the active plugins depend on roles and on what admins install or switch off;
 * both can change while the app is open, so each route change asks again instead of trusting the
 * first answer. A user thus sees plugin changes at their next navigation, without a reload.
 */
function useRefetchNavigationOnRouteChange() {
  const queryClient = useQueryClient();
  // The key changes on every navigation, a click on the link of the page already shown included.
  const { key } = useLocation();
  useEffect(() => {
    // cancelRefetch: false joins a request already under way (e.g. on first load) instead of
    // aborting and repeating it.
    void queryClient.invalidateQueries({ queryKey: navigationQueryKey }, { cancelRefetch: false });
    void queryClient.invalidateQueries(
      { queryKey: pluginFrontendsQueryKey },
      { cancelRefetch: false },
    );
  }, [key, queryClient]);
}
