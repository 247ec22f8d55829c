import { describe, expect, it } from 'vitest';
import { isKitError } from '../kit-error.ts';
import { zipTimestamp } from './zip.ts';

describe('zipTimestamp', () => {
  it('is 1980-01-01 without SOURCE_DATE_EPOCH', () => {
    expect(zipTimestamp(undefined).toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(zipTimestamp('').toISOString()).toBe('1980-01-01T00:00:00.000Z');
  });

  it('follows SOURCE_DATE_EPOCH, within what a ZIP can hold', () => {
    expect(zipTimestamp('1700000000').toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(zipTimestamp('0').toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(zipTimestamp('99999999999').getUTCFullYear()).toBe(2107);
  });

  it('refuses a SOURCE_DATE_EPOCH that is not a number of seconds', () => {
    let caught: unknown;
    try {
      zipTimestamp('yesterday');
    } catch (error) {
      caught = error;
    }
    expect(isKitError(caught) && caught.code).toBe('KIT_INVALID_OPTION');
  });
});
