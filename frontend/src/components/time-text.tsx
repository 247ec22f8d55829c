import { Text } from '@mantine/core';
import type { TextProps } from '@mantine/core';
import { formatTimestamp } from '../lib/format.ts';
import type { DateStyle } from '../lib/format.ts';

export interface TimeTextProps extends TextProps {
  iso: string;
  dateStyle?: DateStyle;
}

/** A localised timestamp; the exact ISO value stays one hover away for audits and bug reports. */
export function TimeText({ iso, dateStyle = 'dateTime', ...textProps }: TimeTextProps) {
  return (
    <Text component="time" dateTime={iso} title={iso} size="sm" {...textProps}>
      {formatTimestamp(iso, dateStyle)}
    </Text>
  );
}
