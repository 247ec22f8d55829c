import { z } from 'zod';
import { PluginFormatError } from './errors.ts';

/**
 * The `settings` of a plugin's manifest: a small subset of JSON Schema describing what admins may
 * configure. The subset is closed on purpose: every keyword here is one the host enforces and the
 * admin form can render, and an unknown keyword (most often a typo such as `defualt`) is an error
 * rather than something silently ignored.
 */
export interface SettingsSchema {
  type: 'object';
  properties: Record<string, SettingProperty>;
  required?: string[];
}

export type SettingType = 'string' | 'number' | 'integer' | 'boolean';
export type SettingValue = string | number | boolean;
export type SettingValues = Record<string, SettingValue>;

export interface SettingProperty {
  type: SettingType;
  title?: string;
  description?: string;
  default?: SettingValue;
  enum?: SettingValue[];
  /** number and integer only. */
  minimum?: number;
  maximum?: number;
  /** string only; counted in Unicode code points, as JSON Schema does. */
  minLength?: number;
  maxLength?: number;
  /** string only; an ECMAScript regular expression, unanchored as in JSON Schema. */
  pattern?: string;
  format?: 'email' | 'uri';
  /** string only: the value may span several lines (a textarea). Otherwise it is a single line. */
  multiline?: boolean;
  /** string only: stored, and handed to the plugin, but never shown to anyone again. */
  secret?: boolean;
  /**
   * Sent to the plugin's pages in the browser (`useSettings()`), so visible to every user who can
   * open them. Never allowed on a secret.
   */
  browser?: boolean;
}

export const MAX_SETTINGS = 50;
/** The host's own cap on any text setting, so that a setting cannot become a file store. */
export const MAX_TEXT_LENGTH = 10_000;
const SETTING_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,49}$/;
const SETTING_NAME_RULE =
  'A setting name starts with a letter, followed by at most 49 letters, digits or underscores.';

// ---------------------------------------------------------------------------------------------
// Values

function describeType(type: SettingType): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'integer':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
  }
}

function hasType(type: SettingType, value: unknown): value is SettingValue {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** Null when the pattern does not compile; the schema check reports that, not the value check. */
function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

const EMAIL = z.email();
const URI_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

function formatProblem(format: 'email' | 'uri', text: string): string | null {
  if (format === 'email') return EMAIL.safeParse(text).success ? null : 'Enter an email address.';
  return URI_SCHEME.test(text) && URL.canParse(text)
    ? null
    : 'Enter a full URL, such as https://example.com/hook.';
}

function textProblem(property: SettingProperty, text: string): string | null {
  const length = codePoints(text);
  if (property.minLength !== undefined && length < property.minLength)
    return `Enter at least ${property.minLength} characters.`;
  const maxLength = property.maxLength ?? MAX_TEXT_LENGTH;
  if (length > maxLength) return `Enter at most ${maxLength} characters.`;
  if (property.multiline !== true && /[\r\n]/.test(text)) return 'Enter a single line.';
  if (property.pattern !== undefined && compilePattern(property.pattern)?.test(text) === false)
    return 'The value does not have the expected form.';
  if (property.format !== undefined) return formatProblem(property.format, text);
  return null;
}

/**
 * Why `value` cannot be stored for `property`, or null when it can. Messages never repeat the
 * value: it may be a secret.
 */
function valueProblem(
  property: SettingProperty,
  value: unknown,
  { checkEnum = true }: { checkEnum?: boolean } = {},
): string | null {
  if (!hasType(property.type, value)) return `Expected ${describeType(property.type)}.`;
  if (checkEnum && property.enum !== undefined && !property.enum.includes(value))
    return `Choose one of: ${property.enum.map(String).join(', ')}.`;
  if (typeof value === 'number') {
    if (property.minimum !== undefined && value < property.minimum)
      return `Enter ${property.minimum} or more.`;
    if (property.maximum !== undefined && value > property.maximum)
      return `Enter ${property.maximum} or less.`;
  }
  if (typeof value === 'string') return textProblem(property, value);
  return null;
}

// ---------------------------------------------------------------------------------------------
// The schema of the schema

const KEYWORDS_BY_TYPE: Record<SettingType, readonly string[]> = {
  string: [
    'type',
    'title',
    'description',
    'default',
    'enum',
    'minLength',
    'maxLength',
    'pattern',
    'format',
    'multiline',
    'secret',
    'browser',
  ],
  number: ['type', 'title', 'description', 'default', 'enum', 'minimum', 'maximum', 'browser'],
  integer: ['type', 'title', 'description', 'default', 'enum', 'minimum', 'maximum', 'browser'],
  boolean: ['type', 'title', 'description', 'default', 'enum', 'browser'],
};

/** An error map that names the unknown keyword and lists what the setting's type allows. */
function unknownKeywords(type: SettingType) {
  return {
    error: (issue: z.core.$ZodRawIssue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown keyword ${issue.keys.map((key) => `"${key}"`).join(', ')} in ${type === 'integer' ? 'an' : 'a'} ${type} setting; ` +
          `allowed: ${KEYWORDS_BY_TYPE[type].join(', ')}.`
        : undefined,
  };
}

const common = {
  title: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  browser: z.boolean().optional(),
};

function uniqueItems(items: readonly unknown[]): boolean {
  return new Set(items).size === items.length;
}

function enumOf(item: z.ZodType<SettingValue>) {
  return z
    .array(item)
    .min(1, 'An enum needs at least one value.')
    .refine(uniqueItems, 'The values of an enum must be unique.')
    .optional();
}

const bound = z.number().refine(Number.isFinite, 'Expected a finite number.').optional();
const length = z.int().min(0).max(MAX_TEXT_LENGTH).optional();

const stringProperty = z.strictObject(
  {
    type: z.literal('string'),
    ...common,
    default: z.string().optional(),
    enum: enumOf(z.string()),
    minLength: length,
    maxLength: length,
    pattern: z
      .string()
      .min(1)
      .max(1000)
      .refine(
        (pattern) => compilePattern(pattern) !== null,
        'The pattern is not a valid regular expression.',
      )
      .optional(),
    format: z.enum(['email', 'uri']).optional(),
    multiline: z.boolean().optional(),
    secret: z.boolean().optional(),
  },
  unknownKeywords('string'),
);

const numberProperty = z.strictObject(
  {
    type: z.literal('number'),
    ...common,
    default: z.number().optional(),
    enum: enumOf(z.number()),
    minimum: bound,
    maximum: bound,
  },
  unknownKeywords('number'),
);

const integerProperty = z.strictObject(
  {
    type: z.literal('integer'),
    ...common,
    default: z.number().optional(),
    enum: enumOf(z.number()),
    minimum: bound,
    maximum: bound,
  },
  unknownKeywords('integer'),
);

const booleanProperty = z.strictObject(
  {
    type: z.literal('boolean'),
    ...common,
    default: z.boolean().optional(),
    enum: enumOf(z.boolean()),
  },
  unknownKeywords('boolean'),
);

/** Rules that tie one keyword of a property to another. */
function checkPropertyCoherence(property: SettingProperty, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  if (
    property.minimum !== undefined &&
    property.maximum !== undefined &&
    property.minimum > property.maximum
  )
    issue(['maximum'], 'maximum must not be below minimum.');
  if (
    property.minLength !== undefined &&
    property.maxLength !== undefined &&
    property.minLength > property.maxLength
  )
    issue(['maxLength'], 'maxLength must not be below minLength.');
  if (property.secret === true) {
    // A default or a list of choices would publish the secret in the plugin's own manifest.
    if (property.default !== undefined)
      issue(['default'], 'A secret setting cannot have a default.');
    if (property.enum !== undefined) issue(['enum'], 'A secret setting cannot have an enum.');
    if (property.browser === true)
      issue(['browser'], 'A secret setting cannot be sent to the browser.');
  }
  property.enum?.forEach((value, index) => {
    const problem = valueProblem(property, value, { checkEnum: false });
    if (problem !== null)
      issue(['enum', index], `This value breaks the setting's rules: ${problem}`);
  });
  if (property.default !== undefined) {
    const problem = valueProblem(property, property.default);
    if (problem !== null)
      issue(['default'], `The default breaks the setting's own rules: ${problem}`);
  }
}

/**
 * Names are checked on the raw input: zod's record quietly drops a `__proto__` key (which
 * JSON.parse does create as an own key), so a check on its output would never see one.
 */
function checkSettingNames(properties: unknown, ctx: z.RefinementCtx): void {
  if (typeof properties !== 'object' || properties === null) return;
  const names = Object.keys(properties);
  for (const name of names) {
    if (!SETTING_NAME.test(name))
      ctx.addIssue({ code: 'custom', path: [name], message: SETTING_NAME_RULE });
  }
  if (names.length > MAX_SETTINGS)
    ctx.addIssue({ code: 'custom', message: `A plugin has at most ${MAX_SETTINGS} settings.` });
}

const settingProperty = z
  .discriminatedUnion('type', [stringProperty, numberProperty, integerProperty, booleanProperty], {
    error: 'type must be one of "string", "number", "integer", "boolean".',
  })
  .superRefine(checkPropertyCoherence);

const settingsObject = z
  .strictObject(
    {
      type: z.literal('object'),
      properties: z
        .unknown()
        .superRefine(checkSettingNames)
        .pipe(z.record(z.string(), settingProperty)),
      required: z
        .array(z.string())
        .refine(uniqueItems, 'Each name may appear only once in required.')
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown keyword ${issue.keys.map((key) => `"${key}"`).join(', ')}; allowed: type, properties, required.`
          : undefined,
    },
  )
  .superRefine((schema, ctx) => {
    schema.required?.forEach((name, index) => {
      if (!Object.hasOwn(schema.properties, name))
        ctx.addIssue({
          code: 'custom',
          path: ['required', index],
          message: `"${name}" is required but is not one of the properties.`,
        });
    });
  });

export const settingsSchemaSchema: z.ZodType<SettingsSchema> = settingsObject;

// ---------------------------------------------------------------------------------------------
// Stored values

function propertiesOf(schema: SettingsSchema | null): [string, SettingProperty][] {
  return schema === null ? [] : Object.entries(schema.properties);
}

/**
 * The stored value of a setting, if it still fits the property. A schema can change on upgrade
 * (a type, a range, a list of choices); a value that no longer fits is treated as unset so that
 * the plugin only ever sees values its current schema allows.
 */
function storedValue(
  stored: Readonly<Record<string, unknown>>,
  name: string,
  property: SettingProperty,
): SettingValue | undefined {
  if (!Object.hasOwn(stored, name)) return undefined;
  const value = stored[name];
  // valueProblem checks the type first: no problem means a value of the setting's type.
  return valueProblem(property, value) === null ? (value as SettingValue) : undefined;
}

function isSet(property: SettingProperty, value: SettingValue | undefined): boolean {
  return value !== undefined && !(property.type === 'string' && value === '');
}

/** What the plugin sees: stored values with defaults filled in; keys not in the schema dropped (a schema can shrink on upgrade). */
export function resolveSettings(
  schema: SettingsSchema | null,
  stored: Readonly<Record<string, unknown>>,
): SettingValues {
  const values: SettingValues = {};
  for (const [name, property] of propertiesOf(schema)) {
    const value = storedValue(stored, name, property) ?? property.default;
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** What the plugin's pages see: only the settings marked `browser`, defaults filled in. */
export function browserSettings(
  schema: SettingsSchema | null,
  stored: Readonly<Record<string, unknown>>,
): SettingValues {
  const resolved = resolveSettings(schema, stored);
  const values: SettingValues = {};
  for (const [name, property] of propertiesOf(schema)) {
    const value = resolved[name];
    if (property.browser === true && value !== undefined) values[name] = value;
  }
  return values;
}

/** What admins' API sees: secrets never in clear. */
export function publicSettings(
  schema: SettingsSchema | null,
  stored: SettingValues,
): { values: SettingValues; secrets: Record<string, boolean> } {
  const values: SettingValues = {};
  const secrets: Record<string, boolean> = {};
  for (const [name, property] of propertiesOf(schema)) {
    const value = storedValue(stored, name, property);
    if (property.secret === true) {
      secrets[name] = isSet(property, value);
      continue;
    }
    const shown = value ?? property.default;
    if (shown !== undefined) values[name] = shown;
  }
  return { values, secrets };
}

interface Issue {
  path: string;
  message: string;
}

function validationFailed(issues: Issue[]): PluginFormatError {
  // The same shape as every other validation failure of the host (its http/validate.ts).
  return new PluginFormatError('VALIDATION_FAILED', 'Some settings are not valid.', {
    details: { issues },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Validates an admin's update and returns the new stored values. Omitted secret → kept; secret
 * `null` → cleared; non-secret omitted or null → removed (the default applies). Unknown keys,
 * wrong types, broken constraints and required settings left without a value (after keeping
 * secrets and filling defaults) are VALIDATION_FAILED with `details.issues[{ path, message }]`.
 */
export function applySettingsUpdate(
  schema: SettingsSchema | null,
  stored: SettingValues,
  input: unknown,
): SettingValues {
  if (!isPlainObject(input))
    throw validationFailed([{ path: '', message: 'Settings must be a JSON object.' }]);
  if (schema === null) {
    if (Object.keys(input).length > 0)
      throw validationFailed([{ path: '', message: 'This plugin has no settings.' }]);
    return {};
  }

  const issues: Issue[] = [];
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(schema.properties, name))
      issues.push({ path: name, message: 'This plugin has no such setting.' });
  }

  const required = new Set(schema.required ?? []);
  const next: SettingValues = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    const given = Object.hasOwn(input, name);
    const value = given ? input[name] : undefined;
    let kept: SettingValue | undefined;
    if (!given) {
      kept = property.secret === true ? storedValue(stored, name, property) : undefined;
    } else if (value !== null) {
      const problem = valueProblem(property, value);
      if (problem !== null) {
        issues.push({ path: name, message: problem });
        continue;
      }
      kept = value as SettingValue;
    }
    if (kept !== undefined) next[name] = kept;
    if (required.has(name) && !isSet(property, kept ?? property.default))
      issues.push({ path: name, message: 'This setting is required.' });
  }

  if (issues.length > 0) throw validationFailed(issues);
  return next;
}
