import { Button, EmptyState } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconMapSearch } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  useDocumentTitle('Page not found · Polyphony');
  const { pathname } = useLocation();
  return (
    <EmptyState mt={48} variant="light" icon={<IconMapSearch aria-hidden />}>
      <EmptyState.Title order={1}>Page not found</EmptyState.Title>
      <EmptyState.Description>
        There is no page at <strong>{pathname}</strong>. It may have moved, or the plugin that
        provided it may have been removed.
      </EmptyState.Description>
      <EmptyState.Actions>
        <Button component={Link} to="/">
          Go to the home page
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
