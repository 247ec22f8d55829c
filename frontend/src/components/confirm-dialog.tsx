import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormErrorAlert } from './form-error-alert.tsx';

export interface ConfirmDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Red for destructive actions. */
  confirmColor?: string;
  onConfirm: () => void;
  loading: boolean;
  /** The server's refusal, shown inside the dialog so the reader can decide what to do next. */
  error: string | null;
}

/**
 * A confirmation that stays open while the request runs and shows the server's answer, which
 * `modals.openConfirmModal` cannot do: it closes before the request has an outcome.
 */
export function ConfirmDialog({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  confirmColor = 'red',
  onConfirm,
  loading,
  error,
}: ConfirmDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} closeOnClickOutside={!loading}>
      <Stack gap="md">
        <Text size="sm" component="div">
          {children}
        </Text>
        <FormErrorAlert message={error} />
        <Group justify="flex-end" gap="sm">
          {/* Focus starts on Cancel: pressing Enter by habit must not destroy anything. */}
          <Button variant="default" onClick={onClose} disabled={loading} data-autofocus>
            Cancel
          </Button>
          <Button color={confirmColor} onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
