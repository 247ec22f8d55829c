import { describe, expect, it } from 'vitest';
import { isPluginFormatError } from './errors.ts';
import {
  MAX_TEXT_LENGTH,
  applySettingsUpdate,
  browserSettings,
  publicSettings,
  resolveSettings,
  settingsSchemaSchema,
  type SettingValues,
  type SettingsSchema,
} from './settings-schema.ts';

const example = {
  type: 'object',
  properties: {
    maxPerDay: {
      type: 'integer',
      title: 'Kudos per day',
      description: 'How many kudos one person may give a day.',
      default: 5,
      minimum: 1,
      maximum: 100,
    },
    channel: { type: 'string', enum: ['general', 'random'], default: 'general' },
    webhookUrl: { type: 'string', format: 'uri' },
    apiKey: { type: 'string', secret: true, minLength: 8 },
    notify: { type: 'boolean', default: true },
    ratio: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
  },
  required: ['apiKey'],
} as const;

const schema: SettingsSchema = settingsSchemaSchema.parse(example);

/** The issues of a schema that must be refused, as `path: message` lines. */
function schemaIssues(candidate: unknown): string[] {
  const result = settingsSchemaSchema.safeParse(candidate);
  if (result.success) throw new Error('expected the schema to be refused');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function withProperty(property: unknown, extra: Record<string, unknown> = {}): unknown {
  return { type: 'object', properties: { field: property }, ...extra };
}

/** Runs an update that must fail and returns its `details.issues`. */
function updateIssues(
  input: unknown,
  stored: SettingValues = {},
  target: SettingsSchema | null = schema,
): { path: string; message: string }[] {
  try {
    applySettingsUpdate(target, stored, input);
  } catch (error) {
    if (!isPluginFormatError(error) || error.code !== 'VALIDATION_FAILED') throw error;
    return (error.details as { issues: { path: string; message: string }[] }).issues;
  }
  throw new Error('expected the update to be refused');
}

function issuePaths(input: unknown, stored: SettingValues = {}): string[] {
  return updateIssues(input, stored).map((issue) => issue.path);
}

describe('settingsSchemaSchema', () => {
  it('accepts the documented example as written', () => {
    expect(schema).toEqual(example);
  });

  it('accepts an empty schema and every keyword on its own type', () => {
    expect(settingsSchemaSchema.safeParse({ type: 'object', properties: {} }).success).toBe(true);
    const all = withProperty({
      type: 'string',
      title: 'T',
      description: 'D',
      default: 'abc',
      enum: ['abc', 'abd'],
      minLength: 1,
      maxLength: 5,
      pattern: '^ab',
      multiline: true,
    });
    expect(settingsSchemaSchema.safeParse(all).success).toBe(true);
  });

  it('names the unknown keyword when a property has a typo', () => {
    const issues = schemaIssues(
      withProperty({ type: 'integer', defualt: 5 }, { required: ['field'] }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^properties\.field: Unknown keyword "defualt" in an integer setting/,
    );
  });

  it('refuses keywords that belong to another type', () => {
    expect(schemaIssues(withProperty({ type: 'integer', minLength: 1 }))[0]).toMatch(
      /properties\.field: Unknown keyword "minLength"/,
    );
    expect(schemaIssues(withProperty({ type: 'string', minimum: 1 }))[0]).toMatch(/"minimum"/);
    expect(schemaIssues(withProperty({ type: 'number', secret: true }))[0]).toMatch(/"secret"/);
    expect(schemaIssues(withProperty({ type: 'boolean', multiline: true }))[0]).toMatch(
      /"multiline"/,
    );
  });

  it('refuses unknown keywords at the top', () => {
    expect(schemaIssues({ type: 'object', properties: {}, requried: [] })[0]).toMatch(
      /Unknown keyword "requried"/,
    );
    expect(schemaIssues({ type: 'array', properties: {} })[0]).toMatch(/^type: /);
    expect(schemaIssues({ type: 'object' })[0]).toMatch(/^properties: /);
  });

  it('refuses types outside the subset, naming the field', () => {
    for (const type of ['array', 'object', 'null', undefined]) {
      expect(schemaIssues(withProperty({ type }))).toEqual([
        'properties.field.type: type must be one of "string", "number", "integer", "boolean".',
      ]);
    }
  });

  it('checks property names', () => {
    for (const name of ['1st', '_x', 'a-b', 'a b', 'a'.repeat(51), '']) {
      expect(schemaIssues({ type: 'object', properties: { [name]: { type: 'string' } } })).toEqual([
        `properties.${name}: A setting name starts with a letter, followed by at most 49 letters, digits or underscores.`,
      ]);
    }
    expect(
      settingsSchemaSchema.safeParse({
        type: 'object',
        properties: { ['a'.repeat(50)]: { type: 'string' }, x_1: { type: 'string' } },
      }).success,
    ).toBe(true);
  });

  it('refuses a __proto__ property, which zod would otherwise drop without a word', () => {
    const parsed: unknown = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"}}}',
    );
    expect(schemaIssues(parsed)[0]).toMatch(/^properties\.__proto__: A setting name/);
  });

  it('allows at most 50 properties', () => {
    const properties = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`s${i}`, { type: 'boolean' }]));
    expect(
      settingsSchemaSchema.safeParse({ type: 'object', properties: properties(50) }).success,
    ).toBe(true);
    expect(schemaIssues({ type: 'object', properties: properties(51) })).toEqual([
      'properties: A plugin has at most 50 settings.',
    ]);
  });

  it('checks enums: not empty, unique, of the property type, within its rules', () => {
    expect(schemaIssues(withProperty({ type: 'string', enum: [] }))).toEqual([
      'properties.field.enum: An enum needs at least one value.',
    ]);
    expect(schemaIssues(withProperty({ type: 'string', enum: ['a', 'a'] }))).toEqual([
      'properties.field.enum: The values of an enum must be unique.',
    ]);
    expect(schemaIssues(withProperty({ type: 'string', enum: ['a', 1] }))[0]).toMatch(
      /^properties\.field\.enum\.1: /,
    );
    expect(schemaIssues(withProperty({ type: 'integer', enum: [1, 1.5] }))).toEqual([
      "properties.field.enum.1: This value breaks the setting's rules: Expected a whole number.",
    ]);
    expect(
      schemaIssues(withProperty({ type: 'integer', enum: [1, 200], maximum: 100 }))[0],
    ).toMatch(/^properties\.field\.enum\.1: /);
    expect(
      settingsSchemaSchema.safeParse(withProperty({ type: 'boolean', enum: [true] })).success,
    ).toBe(true);
  });

  it('checks bounds and lengths', () => {
    expect(schemaIssues(withProperty({ type: 'number', minimum: '1' }))[0]).toMatch(
      /^properties\.field\.minimum: /,
    );
    expect(schemaIssues(withProperty({ type: 'number', minimum: 5, maximum: 1 }))).toEqual([
      'properties.field.maximum: maximum must not be below minimum.',
    ]);
    expect(schemaIssues(withProperty({ type: 'string', minLength: -1 }))[0]).toMatch(
      /^properties\.field\.minLength: /,
    );
    expect(schemaIssues(withProperty({ type: 'string', maxLength: 1.5 }))[0]).toMatch(
      /^properties\.field\.maxLength: /,
    );
    expect(schemaIssues(withProperty({ type: 'string', minLength: 5, maxLength: 1 }))).toEqual([
      'properties.field.maxLength: maxLength must not be below minLength.',
    ]);
    expect(
      schemaIssues(withProperty({ type: 'string', maxLength: MAX_TEXT_LENGTH + 1 }))[0],
    ).toMatch(/^properties\.field\.maxLength: /);
  });

  it('requires a pattern that compiles, and a known format', () => {
    expect(schemaIssues(withProperty({ type: 'string', pattern: '(' }))).toEqual([
      'properties.field.pattern: The pattern is not a valid regular expression.',
    ]);
    // A broken pattern next to a default must be reported, not thrown.
    expect(schemaIssues(withProperty({ type: 'string', pattern: '[', default: 'x' }))).toEqual([
      'properties.field.pattern: The pattern is not a valid regular expression.',
    ]);
    expect(schemaIssues(withProperty({ type: 'string', format: 'date' }))[0]).toMatch(
      /^properties\.field\.format: /,
    );
  });

  it('refuses a secret with a default or an enum, and a secret that is not text', () => {
    expect(
      schemaIssues(withProperty({ type: 'string', secret: true, default: 'hunter22' })),
    ).toEqual(['properties.field.default: A secret setting cannot have a default.']);
    expect(schemaIssues(withProperty({ type: 'string', secret: true, enum: ['a'] }))).toEqual([
      'properties.field.enum: A secret setting cannot have an enum.',
    ]);
    expect(schemaIssues(withProperty({ type: 'string', secret: 'yes' }))[0]).toMatch(
      /^properties\.field\.secret: /,
    );
    expect(
      settingsSchemaSchema.safeParse(withProperty({ type: 'string', secret: false, default: 'x' }))
        .success,
    ).toBe(true);
  });

  it('requires a default to satisfy the property’s own rules', () => {
    const refused = [
      { type: 'integer', default: 1.5 },
      { type: 'integer', default: '5' },
      { type: 'integer', minimum: 1, default: 0 },
      { type: 'number', maximum: 1, default: 2 },
      { type: 'string', enum: ['a', 'b'], default: 'c' },
      { type: 'string', minLength: 3, default: 'ab' },
      { type: 'string', maxLength: 3, default: 'abcd' },
      { type: 'string', pattern: '^[a-z]+$', default: 'ABC' },
      { type: 'string', format: 'email', default: 'not-an-email' },
      { type: 'string', format: 'uri', default: 'example.com' },
      { type: 'string', default: 'two\nlines' },
      { type: 'boolean', default: 'true' },
    ];
    for (const property of refused) {
      expect(schemaIssues(withProperty(property))[0], JSON.stringify(property)).toMatch(
        /^properties\.field\.default: /,
      );
    }
    expect(
      settingsSchemaSchema.safeParse(
        withProperty({ type: 'string', multiline: true, default: 'a\nb' }),
      ).success,
    ).toBe(true);
  });

  it('requires every required name to be a property, and lets required ones have defaults', () => {
    expect(schemaIssues({ ...example, required: ['apiKey', 'apiKye'] })).toEqual([
      'required.1: "apiKye" is required but is not one of the properties.',
    ]);
    expect(schemaIssues({ ...example, required: ['apiKey', 'apiKey'] })[0]).toMatch(/^required: /);
    expect(settingsSchemaSchema.safeParse({ ...example, required: ['maxPerDay'] }).success).toBe(
      true,
    );
  });
});

describe('resolveSettings', () => {
  it('fills defaults and keeps stored values, secrets included', () => {
    expect(resolveSettings(schema, { maxPerDay: 9, apiKey: 'sk-12345678' })).toEqual({
      maxPerDay: 9,
      channel: 'general',
      apiKey: 'sk-12345678',
      notify: true,
      ratio: 0.5,
    });
  });

  it('drops keys the schema no longer has, and values that no longer fit it', () => {
    expect(
      resolveSettings(schema, { gone: 'x', maxPerDay: 500, channel: 'old', notify: 'yes' }),
    ).toEqual({ maxPerDay: 5, channel: 'general', notify: true, ratio: 0.5 });
  });

  it('gives nothing to a plugin without settings', () => {
    expect(resolveSettings(null, { leftover: 1 })).toEqual({});
  });

  it('does not mistake inherited names for stored values', () => {
    const withConstructor = settingsSchemaSchema.parse({
      type: 'object',
      properties: { constructor: { type: 'string', default: 'd' } },
    });
    expect(resolveSettings(withConstructor, {})).toEqual({ constructor: 'd' });
  });
});

describe('browserSettings', () => {
  const marked = settingsSchemaSchema.parse({
    type: 'object',
    properties: {
      title: { type: 'string', default: 'Kudos', browser: true },
      perDay: { type: 'integer', default: 5, browser: true },
      compact: { type: 'boolean', browser: true },
      webhookUrl: { type: 'string', format: 'uri', default: 'https://example.com/hook' },
      apiKey: { type: 'string', secret: true },
    },
  });

  it('gives the pages only the settings marked browser, defaults filled in', () => {
    expect(
      browserSettings(marked, { perDay: 9, webhookUrl: 'https://internal/x', apiKey: 'sk-1' }),
    ).toEqual({ title: 'Kudos', perDay: 9 });
    expect(browserSettings(marked, { compact: true })).toEqual({
      title: 'Kudos',
      perDay: 5,
      compact: true,
    });
  });

  it('gives nothing to a plugin without settings or without browser settings', () => {
    expect(browserSettings(null, { title: 'x' })).toEqual({});
    expect(browserSettings(schema, { maxPerDay: 3, apiKey: 'sk-12345678' })).toEqual({});
  });

  it('refuses a secret marked browser, and a browser flag that is not a boolean', () => {
    expect(schemaIssues(withProperty({ type: 'string', secret: true, browser: true }))).toEqual([
      'properties.field.browser: A secret setting cannot be sent to the browser.',
    ]);
    expect(schemaIssues(withProperty({ type: 'integer', browser: 'yes' }))[0]).toMatch(
      /^properties\.field\.browser: /,
    );
  });
});

describe('publicSettings', () => {
  const stored = { maxPerDay: 7, apiKey: 'sk-live-very-secret' };

  it('shows non-secret values with defaults and never a secret', () => {
    const shown = publicSettings(schema, stored);
    expect(shown).toEqual({
      values: { maxPerDay: 7, channel: 'general', notify: true, ratio: 0.5 },
      secrets: { apiKey: true },
    });
    expect(JSON.stringify(shown)).not.toContain('sk-live-very-secret');
  });

  it('says when a secret is not set', () => {
    expect(publicSettings(schema, {}).secrets).toEqual({ apiKey: false });
  });

  it('shows nothing for a plugin without settings', () => {
    expect(publicSettings(null, stored)).toEqual({ values: {}, secrets: {} });
  });
});

describe('applySettingsUpdate', () => {
  const valid = { apiKey: 'sk-12345678' };

  it('stores what was given, and nothing for defaults', () => {
    expect(applySettingsUpdate(schema, {}, { ...valid, maxPerDay: 10, ratio: 1 })).toEqual({
      apiKey: 'sk-12345678',
      maxPerDay: 10,
      ratio: 1,
    });
  });

  it('keeps an omitted secret across updates, without ever showing it', () => {
    const first = applySettingsUpdate(schema, {}, valid);
    const second = applySettingsUpdate(schema, first, { maxPerDay: 3 });
    expect(second).toEqual({ apiKey: 'sk-12345678', maxPerDay: 3 });
    const third = applySettingsUpdate(schema, second, { channel: 'random' });
    expect(third).toEqual({ apiKey: 'sk-12345678', channel: 'random' });
    expect(resolveSettings(schema, third).apiKey).toBe('sk-12345678');
    expect(JSON.stringify(publicSettings(schema, third))).not.toContain('sk-12345678');
  });

  it('replaces a secret when a new one is given', () => {
    expect(applySettingsUpdate(schema, valid, { apiKey: 'sk-87654321' })).toEqual({
      apiKey: 'sk-87654321',
    });
  });

  it('clears a secret with null', () => {
    const optional = settingsSchemaSchema.parse({
      type: 'object',
      properties: { token: { type: 'string', secret: true } },
    });
    const cleared = applySettingsUpdate(optional, { token: 'abc' }, { token: null });
    expect(cleared).toEqual({});
    expect(publicSettings(optional, cleared).secrets).toEqual({ token: false });
  });

  it('refuses to clear a required secret', () => {
    expect(updateIssues({ apiKey: null }, valid)).toEqual([
      { path: 'apiKey', message: 'This setting is required.' },
    ]);
  });

  it('removes an omitted or null non-secret so that its default applies again', () => {
    const stored = { ...valid, maxPerDay: 9, channel: 'random' };
    const next = applySettingsUpdate(schema, stored, { channel: null });
    expect(next).toEqual(valid);
    expect(resolveSettings(schema, next)).toMatchObject({ maxPerDay: 5, channel: 'general' });
  });

  it('drops stored keys the schema no longer has', () => {
    expect(applySettingsUpdate(schema, { ...valid, gone: 1 }, {})).toEqual(valid);
  });

  it('refuses unknown keys, naming them', () => {
    expect(updateIssues({ ...valid, maxPerDya: 3 })).toEqual([
      { path: 'maxPerDya', message: 'This plugin has no such setting.' },
    ]);
    const proto: unknown = JSON.parse('{"__proto__": {"x": 1}, "apiKey": "sk-12345678"}');
    expect(issuePaths(proto)).toEqual(['__proto__']);
    expect(issuePaths({ ...valid, toString: 'x' })).toEqual(['toString']);
  });

  it('refuses wrong types without coercing them', () => {
    expect(updateIssues({ ...valid, maxPerDay: '5', notify: 'false', ratio: '0.5' })).toEqual([
      { path: 'maxPerDay', message: 'Expected a whole number.' },
      { path: 'notify', message: 'Expected true or false.' },
      { path: 'ratio', message: 'Expected a number.' },
    ]);
    expect(updateIssues({ apiKey: 12345678 })).toEqual([
      { path: 'apiKey', message: 'Expected text.' },
    ]);
    expect(issuePaths({ ...valid, maxPerDay: 2.5 })).toEqual(['maxPerDay']);
    expect(issuePaths({ ...valid, ratio: Number.NaN })).toEqual(['ratio']);
    expect(issuePaths({ ...valid, channel: ['general'] })).toEqual(['channel']);
  });

  it('enforces every constraint', () => {
    expect(issuePaths({ ...valid, maxPerDay: 0 })).toEqual(['maxPerDay']);
    expect(issuePaths({ ...valid, maxPerDay: 101 })).toEqual(['maxPerDay']);
    expect(issuePaths({ ...valid, ratio: -0.1 })).toEqual(['ratio']);
    expect(issuePaths({ ...valid, channel: 'offtopic' })).toEqual(['channel']);
    expect(issuePaths({ ...valid, webhookUrl: 'not a url' })).toEqual(['webhookUrl']);
    expect(issuePaths({ ...valid, webhookUrl: 'example.com/hook' })).toEqual(['webhookUrl']);
    // The URL parser would quietly trim or encode these; the stored text would not be a URL.
    expect(issuePaths({ ...valid, webhookUrl: ' https://example.com' })).toEqual(['webhookUrl']);
    expect(issuePaths({ ...valid, webhookUrl: 'https://example.com/a b' })).toEqual(['webhookUrl']);
    expect(issuePaths({ apiKey: 'short' })).toEqual(['apiKey']);
    expect(
      applySettingsUpdate(schema, {}, { ...valid, webhookUrl: 'https://example.com/hook?a=1' }),
    ).toMatchObject({ webhookUrl: 'https://example.com/hook?a=1' });
    expect(applySettingsUpdate(schema, {}, { ...valid, maxPerDay: 1, ratio: 0 })).toMatchObject({
      maxPerDay: 1,
      ratio: 0,
    });
  });

  it('enforces pattern, email, lengths in code points, and single lines', () => {
    const text = settingsSchemaSchema.parse({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}$' },
        email: { type: 'string', format: 'email' },
        short: { type: 'string', maxLength: 2 },
        line: { type: 'string' },
        notes: { type: 'string', multiline: true },
      },
    });
    const paths = (input: unknown) => updateIssues(input, {}, text).map((issue) => issue.path);
    expect(paths({ code: 'abc' })).toEqual(['code']);
    expect(paths({ email: 'someone' })).toEqual(['email']);
    expect(paths({ short: 'abc' })).toEqual(['short']);
    expect(paths({ line: 'a\nb' })).toEqual(['line']);
    expect(paths({ line: 'x'.repeat(MAX_TEXT_LENGTH + 1) })).toEqual(['line']);
    expect(
      applySettingsUpdate(
        text,
        {},
        {
          code: 'ABC',
          email: 'someone@example.com',
          short: '😀😀',
          notes: 'a\nb',
        },
      ),
    ).toEqual({ code: 'ABC', email: 'someone@example.com', short: '😀😀', notes: 'a\nb' });
  });

  it('requires required values, counting defaults and kept secrets', () => {
    expect(updateIssues({})).toEqual([{ path: 'apiKey', message: 'This setting is required.' }]);
    const name = settingsSchemaSchema.parse({
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    });
    // An emptied text field counts as missing, as in an HTML form.
    expect(updateIssues({ name: '' }, {}, name)).toEqual([
      { path: 'name', message: 'This setting is required.' },
    ]);
    expect(applySettingsUpdate(schema, valid, {})).toEqual(valid);
    const withDefault = settingsSchemaSchema.parse({ ...example, required: ['maxPerDay'] });
    expect(applySettingsUpdate(withDefault, {}, { maxPerDay: null })).toEqual({});
  });

  it('treats a stored secret that no longer fits as unset', () => {
    // apiKey now needs 8 characters; the one stored under an older schema has 4.
    expect(updateIssues({}, { apiKey: 'abcd' })).toEqual([
      { path: 'apiKey', message: 'This setting is required.' },
    ]);
    expect(publicSettings(schema, { apiKey: 'abcd' }).secrets).toEqual({ apiKey: false });
  });

  it('reports every problem at once, never echoing a value', () => {
    const issues = updateIssues({ apiKey: 'sk-1', maxPerDay: 0, nope: true });
    expect(issues.map((issue) => issue.path)).toEqual(['nope', 'maxPerDay', 'apiKey']);
    expect(JSON.stringify(issues)).not.toContain('sk-1');
  });

  it('throws a VALIDATION_FAILED error, recognised by name and code', () => {
    let thrown: unknown;
    try {
      applySettingsUpdate(schema, {}, {});
    } catch (error) {
      thrown = error;
    }
    expect(isPluginFormatError(thrown) && thrown.code).toBe('VALIDATION_FAILED');
  });

  it('refuses anything but an object', () => {
    for (const input of [null, [], 'x', 1, undefined]) {
      expect(updateIssues(input)).toEqual([
        { path: '', message: 'Settings must be a JSON object.' },
      ]);
    }
  });

  it('refuses any setting for a plugin without settings, but accepts an empty update', () => {
    expect(updateIssues({ a: 1 }, {}, null)).toEqual([
      { path: '', message: 'This plugin has no settings.' },
    ]);
    expect(applySettingsUpdate(null, { leftover: 1 }, {})).toEqual({});
  });
});
