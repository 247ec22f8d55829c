import { PasswordInput } from '@mantine/core';
import type { PasswordInputProps } from '@mantine/core';

/**
 * Mantine's visibility toggle is named "Toggle password visibility". Browser tests find fields with
 * `getByLabel('Password')`, which also matches any element whose aria-label *contains* "password",
 * so the toggle gets a name of its own that cannot be mistaken for the field.
 */
export function PasswordField(props: PasswordInputProps) {
  return (
    <PasswordInput
      visibilityToggleButtonProps={{ 'aria-label': 'Show characters' }}
      autoComplete="current-password"
      {...props}
    />
  );
}
