import { useMediaQuery } from '@mantine/hooks';

/** Mantine's `sm` breakpoint (48em = 768px): below it the app uses its phone layouts. */
const WIDE_QUERY = '(min-width: 48em)';

/**
 * For layouts that must not exist twice in the DOM (a table and a card list of the same rows), so
 * CSS `hiddenFrom` is not enough. Read synchronously on the first render: no flash of the wrong one.
 */
export function useIsPhone(): boolean {
  return !useMediaQuery(WIDE_QUERY, true, { getInitialValueInEffect: false });
}
