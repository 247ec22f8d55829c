import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconPlayerPause } from '@tabler/icons-react';
import type { PluginState } from '../../../lib/api-types.ts';
import { STATE_COLORS, STATE_LABELS } from './plugin-messages.ts';

const ICONS = {
  active: IconCircleCheck,
  deactivated: IconPlayerPause,
  failed: IconAlertTriangle,
} as const;

/** The state in words (and an icon), never by colour alone. */
export function PluginStateBadge({ state }: { state: PluginState }) {
  const Icon = ICONS[state];
  return (
    <Badge
      color={STATE_COLORS[state]}
      // Light for every state: the theme darkens light badges' text to pass WCAG AA contrast.
      variant="light"
      tt="none"
      leftSection={<Icon size={12} aria-hidden />}
    >
      {STATE_LABELS[state]}
    </Badge>
  );
}
