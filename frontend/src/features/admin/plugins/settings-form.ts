import type {
  PluginSettings,
  SettingProperty,
  SettingValue,
  SettingsSchema,
} from '../../../lib/api-types.ts';

/**
 * The settings form, generated from a plugin's settings schema (docs/plugins/archive-format.md
 * #settings). Everything here is pure: the page renders the fields and keeps a `SettingsFormState`.
 */

export type SettingControl = 'text' | 'textarea' | 'number' | 'switch' | 'select' | 'secret';

export interface SettingField {
  name: string;
  label: string;
  control: SettingControl;
  required: boolean;
  /** The plugin's own help text. */
  description: string | null;
  /** The rules the server applies, in words ("1 to 5000", "An email address"). */
  rules: string[];
  /** For a select: each allowed value as text (a select's values are strings) and its label. */
  options: { value: string; label: string }[];
  /** The default as the form shows it, or null when the setting has none. */
  defaultText: string | null;
  /** Sent to the plugin's pages, so anyone who can open them can see it. */
  browser: boolean;
  /** For a secret: whether a value is stored now. */
  secretStored: boolean;
  inputMode: 'text' | 'email' | 'url' | 'numeric' | 'decimal';
}

/** What the admin has typed: text for every control but a switch; secrets are never pre-filled. */
export interface SettingsFormState {
  values: Record<string, string | boolean>;
  /** Secrets whose stored value the admin asked to remove. */
  clearSecrets: Record<string, boolean>;
}

export function settingFields(settings: PluginSettings): SettingField[] {
  const { schema } = settings;
  if (schema === null) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) =>
    fieldOf(name, property, required.has(name), settings.secrets[name] === true),
  );
}

function fieldOf(
  name: string,
  property: SettingProperty,
  required: boolean,
  secretStored: boolean,
): SettingField {
  return {
    name,
    label: property.title ?? name,
    control: controlOf(property),
    required,
    description: property.description ?? null,
    rules: rulesOf(property),
    options: (property.enum ?? []).map((value) => ({
      value: String(value),
      label: optionLabel(property, value),
    })),
    defaultText: property.default === undefined ? null : optionLabel(property, property.default),
    browser: property.browser === true,
    secretStored,
    inputMode: inputModeOf(property),
  };
}

function controlOf(property: SettingProperty): SettingControl {
  if (property.secret === true) return 'secret';
  if (property.enum !== undefined) return 'select';
  switch (property.type) {
    case 'boolean':
      return 'switch';
    case 'number':
    case 'integer':
      return 'number';
    case 'string':
      return property.multiline === true ? 'textarea' : 'text';
  }
}

function inputModeOf(property: SettingProperty): SettingField['inputMode'] {
  if (property.type === 'integer') return 'numeric';
  if (property.type === 'number') return 'decimal';
  if (property.format === 'email') return 'email';
  if (property.format === 'uri') return 'url';
  return 'text';
}

function optionLabel(property: SettingProperty, value: SettingValue): string {
  if (property.type === 'boolean') return value === true ? 'Yes' : 'No';
  return String(value);
}

function rulesOf(property: SettingProperty): string[] {
  const rules: string[] = [];
  if (property.type === 'integer') rules.push('A whole number');
  if (property.type === 'number' || property.type === 'integer') {
    const { minimum, maximum } = property;
    if (minimum !== undefined && maximum !== undefined) rules.push(`${minimum} to ${maximum}`);
    else if (minimum !== undefined) rules.push(`${minimum} or more`);
    else if (maximum !== undefined) rules.push(`${maximum} or less`);
  }
  if (property.type === 'string') {
    const { minLength, maxLength } = property;
    if (minLength !== undefined && maxLength !== undefined)
      rules.push(`${minLength} to ${maxLength} characters`);
    else if (minLength !== undefined) rules.push(`At least ${minLength} characters`);
    else if (maxLength !== undefined) rules.push(`At most ${maxLength} characters`);
    if (property.format === 'email') rules.push('An email address');
    if (property.format === 'uri') rules.push('A full URL, such as https://example.com/hook');
    if (property.pattern !== undefined) rules.push(`Must match the pattern ${property.pattern}`);
  }
  return rules;
}

/** The form as the server's answer fills it: defaults included, secrets empty. */
export function initialFormState(
  fields: readonly SettingField[],
  settings: PluginSettings,
): SettingsFormState {
  const values: SettingsFormState['values'] = {};
  for (const field of fields) {
    const value = settings.values[field.name];
    if (field.control === 'switch') values[field.name] = value === true;
    else if (field.control === 'secret') values[field.name] = '';
    else values[field.name] = value === undefined ? '' : String(value);
  }
  return { values, clearSecrets: {} };
}

export type SettingsPayload = Record<string, SettingValue | null>;

export type PayloadResult =
  | { ok: true; values: SettingsPayload }
  /** Problems the browser can see by itself (text in a number field); the server checks the rest. */
  | { ok: false; problems: Record<string, string> };

/**
 * The body of `PUT /admin/plugins/:id/settings`. The PUT replaces the settings, so every
 * non-secret setting is sent, except where the form holds the default or nothing: those are left
 * out, so the plugin's default applies (and follows it if an upgrade changes it). A secret is sent
 * only when typed (a new value) or cleared (`null`); left out, it is kept.
 */
export function settingsPayload(schema: SettingsSchema, state: SettingsFormState): PayloadResult {
  const values: SettingsPayload = {};
  const problems: Record<string, string> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property.secret === true) {
      const typed = state.values[name];
      if (typeof typed === 'string' && typed !== '') values[name] = typed;
      else if (state.clearSecrets[name] === true) values[name] = null;
      continue;
    }
    const parsed = parseValue(property, state.values[name]);
    if (!parsed.ok) {
      problems[name] = parsed.problem;
      continue;
    }
    if (parsed.value !== null && parsed.value !== property.default) values[name] = parsed.value;
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, values };
}

type Parsed = { ok: true; value: SettingValue | null } | { ok: false; problem: string };

function parseValue(property: SettingProperty, input: string | boolean | undefined): Parsed {
  if (typeof input === 'boolean') return { ok: true, value: input };
  if (input === undefined || input === '') return { ok: true, value: null };
  if (property.enum !== undefined) {
    // The select's text back to the value it stands for (enums may hold numbers or booleans).
    const chosen = property.enum.find((value) => String(value) === input);
    return { ok: true, value: chosen ?? input };
  }
  switch (property.type) {
    case 'boolean':
      return { ok: true, value: input === 'true' };
    case 'string':
      return { ok: true, value: input };
    case 'number':
    case 'integer': {
      const text = input.trim();
      const number = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(number)) {
        return {
          ok: false,
          problem: property.type === 'integer' ? 'Enter a whole number.' : 'Enter a number.',
        };
      }
      // Fractions in an integer setting are the server's to refuse, in its own words.
      return { ok: true, value: number };
    }
  }
}
