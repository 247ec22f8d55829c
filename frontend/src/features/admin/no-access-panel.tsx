import { Button, EmptyState } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router';

/** For signed-in people without the admin role; the server refuses their requests regardless. */
export function NoAccessPanel() {
  return (
    <EmptyState mt={48} variant="light" color="orange" icon={<IconLock aria-hidden />}>
      <EmptyState.Title order={1}>You don't have access to this page</EmptyState.Title>
      <EmptyState.Description>
        This area is for administrators. If you need it, ask an administrator to give you the admin
        role.
      </EmptyState.Description>
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="light">
          Go to the home page
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
