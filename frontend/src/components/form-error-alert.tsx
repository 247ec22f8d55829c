import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';

export interface FormErrorAlertProps {
  message: string | null;
  title?: string;
}

/** A form-level error; `role="alert"` makes screen readers announce it as soon as it appears. */
export function FormErrorAlert({ message, title }: FormErrorAlertProps) {
  if (message === null) return null;
  return (
    <Alert color="red" variant="light" role="alert" title={title} icon={<IconAlertCircle />}>
      {message}
    </Alert>
  );
}
