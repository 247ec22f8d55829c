import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconWaveSine } from '@tabler/icons-react';

export interface BrandProps {
  size?: 'sm' | 'lg';
}

/** The product mark and name; decorative, so links around it carry the accessible name. */
export function Brand({ size = 'sm' }: BrandProps) {
  const large = size === 'lg';
  return (
    <Group gap={large ? 'sm' : 8} wrap="nowrap">
      <ThemeIcon
        size={large ? 44 : 32}
        radius="md"
        variant="gradient"
        gradient={{ from: 'indigo', to: 'violet', deg: 135 }}
        aria-hidden
      >
        <IconWaveSine size={large ? 26 : 20} stroke={2.2} />
      </ThemeIcon>
      <Text component="span" fw={700} fz={large ? 26 : 19} lts={-0.3}>
        Polyphony
      </Text>
    </Group>
  );
}
