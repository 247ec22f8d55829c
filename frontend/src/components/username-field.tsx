import { TextInput } from '@mantine/core';
import type { TextInputProps } from '@mantine/core';

/** A username input: no auto-capitalisation or spell-check, since usernames are lowercase ids. */
export function UsernameField(props: TextInputProps) {
  return (
    <TextInput
      label="Username"
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      {...props}
    />
  );
}
