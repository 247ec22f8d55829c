// `undefined` locale: dates follow the reader's browser settings, not the server's.
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
const dateTimeWithSecondsFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export type DateStyle = 'date' | 'dateTime' | 'dateTimeWithSeconds';

const FORMATS: Record<DateStyle, Intl.DateTimeFormat> = {
  date: dateFormat,
  dateTime: dateTimeFormat,
  dateTimeWithSeconds: dateTimeWithSecondsFormat,
};

/** Localised text for an API timestamp; the raw string when it is not a valid date. */
export function formatTimestamp(iso: string, style: DateStyle = 'dateTime'): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : FORMATS[style].format(date);
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
