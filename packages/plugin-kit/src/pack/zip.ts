import { DEFAULT_ZIP_TIME, LATEST_ZIP_TIME } from '@polyphony/plugin-format';
import { KitError } from '../kit-error.ts';

/**
 * The archive's timestamp: SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds
 * convention) when set, else 1980-01-01. Clamped to what a ZIP can hold. The ZIP itself is
 * written by `zipArchiveTree` from @polyphony/plugin-format, the same writer the test host uses.
 */
export function zipTimestamp(sourceDateEpoch: string | undefined): Date {
  if (sourceDateEpoch === undefined || sourceDateEpoch === '') return DEFAULT_ZIP_TIME;
  if (!/^\d+$/.test(sourceDateEpoch)) {
    throw new KitError(
      'KIT_INVALID_OPTION',
      `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not "${sourceDateEpoch}".`,
    );
  }
  const time = Number(sourceDateEpoch) * 1000;
  if (time < DEFAULT_ZIP_TIME.getTime()) return DEFAULT_ZIP_TIME;
  if (time > LATEST_ZIP_TIME.getTime()) return LATEST_ZIP_TIME;
  return new Date(time);
}
