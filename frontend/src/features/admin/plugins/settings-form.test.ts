import { describe, expect, it } from 'vitest';
import type { PluginSettings, SettingsSchema } from '../../../lib/api-types.ts';
import { initialFormState, settingFields, settingsPayload } from './settings-form.ts';

const schema: SettingsSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', title: 'Board title', default: 'Notes', browser: true },
    maxLength: { type: 'integer', title: 'Longest note', default: 500, minimum: 1, maximum: 5000 },
    ratio: { type: 'number', minimum: 0 },
    intro: { type: 'string', multiline: true, maxLength: 2000, description: 'Shown on top.' },
    contact: { type: 'string', format: 'email' },
    hook: { type: 'string', format: 'uri', minLength: 10 },
    code: { type: 'string', pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 },
    visibility: { type: 'string', enum: ['everyone', 'voters'], default: 'voters' },
    perPage: { type: 'integer', enum: [10, 20, 50] },
    compact: { type: 'boolean', title: 'Compact view' },
    apiToken: { type: 'string', title: 'API token', secret: true },
    otherToken: { type: 'string', secret: true },
  },
  required: ['maxLength', 'apiToken'],
};

const settings: PluginSettings = {
  schema,
  values: { title: 'Team notes', maxLength: 500, visibility: 'voters', perPage: 20, compact: true },
  secrets: { apiToken: true, otherToken: false },
};

const fields = settingFields(settings);
const field = (name: string) => fields.find((f) => f.name === name)!;

describe('settingFields', () => {
  it('gives every setting a control, in the order of the schema', () => {
    expect(fields.map((f) => [f.name, f.control])).toEqual([
      ['title', 'text'],
      ['maxLength', 'number'],
      ['ratio', 'number'],
      ['intro', 'textarea'],
      ['contact', 'text'],
      ['hook', 'text'],
      ['code', 'text'],
      ['visibility', 'select'],
      ['perPage', 'select'],
      ['compact', 'switch'],
      ['apiToken', 'secret'],
      ['otherToken', 'secret'],
    ]);
  });

  it('labels by title, else by name; marks required, browser and stored secrets', () => {
    expect(field('title')).toMatchObject({
      label: 'Board title',
      required: false,
      browser: true,
      defaultText: 'Notes',
    });
    expect(field('ratio')).toMatchObject({ label: 'ratio', browser: false, defaultText: null });
    expect(field('maxLength').required).toBe(true);
    expect(field('apiToken')).toMatchObject({ required: true, secretStored: true });
    expect(field('otherToken').secretStored).toBe(false);
    expect(field('intro').description).toBe('Shown on top.');
  });

  it('states the rules the server applies, in words', () => {
    expect(field('maxLength').rules).toEqual(['A whole number', '1 to 5000']);
    expect(field('ratio').rules).toEqual(['0 or more']);
    expect(field('intro').rules).toEqual(['At most 2000 characters']);
    expect(field('contact').rules).toEqual(['An email address']);
    expect(field('hook').rules).toEqual([
      'At least 10 characters',
      'A full URL, such as https://example.com/hook',
    ]);
    expect(field('code').rules).toEqual(['3 to 3 characters', 'Must match the pattern ^[A-Z]{3}$']);
    expect(field('compact').rules).toEqual([]);
  });

  it('picks the keyboard for the value', () => {
    expect(field('maxLength').inputMode).toBe('numeric');
    expect(field('ratio').inputMode).toBe('decimal');
    expect(field('contact').inputMode).toBe('email');
    expect(field('hook').inputMode).toBe('url');
    expect(field('title').inputMode).toBe('text');
  });

  it('offers the values of an enum as options', () => {
    expect(field('perPage').options).toEqual([
      { value: '10', label: '10' },
      { value: '20', label: '20' },
      { value: '50', label: '50' },
    ]);
    const yesNo = settingFields({
      schema: { type: 'object', properties: { on: { type: 'boolean', enum: [true, false] } } },
      values: {},
      secrets: {},
    });
    expect(yesNo[0]?.options).toEqual([
      { value: 'true', label: 'Yes' },
      { value: 'false', label: 'No' },
    ]);
  });

  it('has no fields for a plugin without settings', () => {
    expect(settingFields({ schema: null, values: {}, secrets: {} })).toEqual([]);
  });
});

describe('initialFormState', () => {
  it('fills in the values (defaults included), never a secret', () => {
    expect(initialFormState(fields, settings)).toEqual({
      values: {
        title: 'Team notes',
        maxLength: '500',
        ratio: '',
        intro: '',
        contact: '',
        hook: '',
        code: '',
        visibility: 'voters',
        perPage: '20',
        compact: true,
        apiToken: '',
        otherToken: '',
      },
      clearSecrets: {},
    });
  });
});

describe('settingsPayload', () => {
  const initial = initialFormState(fields, settings);

  it('sends what differs from the defaults, and leaves untouched secrets out (kept)', () => {
    expect(settingsPayload(schema, initial)).toEqual({
      ok: true,
      values: { title: 'Team notes', perPage: 20, compact: true },
    });
  });

  it('converts text back to numbers and enum values; empty means "use the default"', () => {
    const state = {
      ...initial,
      values: {
        ...initial.values,
        title: '',
        maxLength: ' 42 ',
        ratio: '0.5',
        visibility: 'everyone',
        perPage: '',
        compact: false,
      },
    };
    expect(settingsPayload(schema, state)).toEqual({
      ok: true,
      values: { maxLength: 42, ratio: 0.5, visibility: 'everyone', compact: false },
    });
  });

  it('sends a typed secret, clears one with null, and a typed value wins over clearing', () => {
    const state = {
      values: { ...initial.values, apiToken: 'sk-new' },
      clearSecrets: { apiToken: true, otherToken: true },
    };
    expect(settingsPayload(schema, state)).toMatchObject({
      ok: true,
      values: { apiToken: 'sk-new', otherToken: null },
    });
  });

  it('leaves the rules to the server, except text where a number belongs', () => {
    const outOfRange = { ...initial, values: { ...initial.values, maxLength: '999999' } };
    expect(settingsPayload(schema, outOfRange)).toMatchObject({
      ok: true,
      values: { maxLength: 999999 },
    });
    const notNumbers = { ...initial, values: { ...initial.values, maxLength: '12a', ratio: '-' } };
    expect(settingsPayload(schema, notNumbers)).toEqual({
      ok: false,
      problems: { maxLength: 'Enter a whole number.', ratio: 'Enter a number.' },
    });
  });
});
