import { Button, Group } from '@mantine/core';

export interface FormActionsProps {
  submitLabel: string;
  onCancel: () => void;
  pending: boolean;
  submitDisabled?: boolean;
}

/** The Cancel / submit pair at the foot of every dialog form. */
export function FormActions({ submitLabel, onCancel, pending, submitDisabled }: FormActionsProps) {
  return (
    <Group justify="flex-end" gap="sm" mt="xs">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={pending} disabled={submitDisabled}>
        {submitLabel}
      </Button>
    </Group>
  );
}
