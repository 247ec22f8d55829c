import { Button, Center, Code, Stack, Text, Title } from '@mantine/core';
import { IconBug } from '@tabler/icons-react';
import { useRouteError } from 'react-router';

/** Shown when a page throws while rendering; better than React Router's developer screen. */
export function RouteErrorPage() {
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : null;
  return (
    <Center mih="80vh" px="md">
      <Stack align="center" gap="sm" maw={480} ta="center">
        <IconBug size={40} color="var(--mantine-color-red-6)" aria-hidden />
        <Title order={1} fz={24}>
          Something went wrong on this page
        </Title>
        <Text c="dimmed">
          Reloading usually helps. If it keeps happening, tell an administrator.
        </Text>
        {detail !== null && <Code block>{detail}</Code>}
        <Button
          onClick={() => {
            window.location.reload();
          }}
        >
          Reload the page
        </Button>
      </Stack>
    </Center>
  );
}
