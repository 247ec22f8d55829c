import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { describeError } from '../lib/error-messages.ts';

export interface QueryErrorAlertProps {
  title: string;
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}

/** What a page shows when its data could not be loaded: the reason and a way to try again. */
export function QueryErrorAlert({ title, error, onRetry, retrying = false }: QueryErrorAlertProps) {
  return (
    <Alert color="red" variant="light" role="alert" title={title} icon={<IconAlertTriangle />}>
      <Group justify="space-between" gap="sm">
        <Text size="sm">{describeError(error)}</Text>
        <Button
          size="xs"
          variant="white"
          color="red"
          leftSection={<IconRefresh size={14} />}
          onClick={onRetry}
          loading={retrying}
        >
          Try again
        </Button>
      </Group>
    </Alert>
  );
}
