import {
  Button,
  Checkbox,
  Group,
  Loader,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconEye } from '@tabler/icons-react';
import { useState } from 'react';
import type { ReactNode, SubmitEvent } from 'react';
import { FormErrorAlert } from '../../../components/form-error-alert.tsx';
import { PasswordField } from '../../../components/password-field.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import type { Plugin, PluginSettings, SettingsSchema } from '../../../lib/api-types.ts';
import { formErrorsFrom } from '../../../lib/error-messages.ts';
import { usePluginSettings, useSavePluginSettings } from './plugin-queries.ts';
import { initialFormState, settingFields, settingsPayload } from './settings-form.ts';
import type { SettingField, SettingsFormState } from './settings-form.ts';

/** The settings form generated from the plugin's settings schema. */
export function PluginSettingsForm({ plugin }: { plugin: Plugin }) {
  const settings = usePluginSettings(plugin.id);
  if (settings.isPending) {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" aria-hidden />
        <Text size="sm" c="dimmed">
          Loading the settings…
        </Text>
      </Group>
    );
  }
  if (settings.isError) {
    return (
      <QueryErrorAlert
        title="Could not load the settings"
        error={settings.error}
        onRetry={() => void settings.refetch()}
        retrying={settings.isFetching}
      />
    );
  }
  const { schema } = settings.data;
  if (schema === null) {
    return (
      <Text size="sm" c="dimmed">
        This plugin has no settings.
      </Text>
    );
  }
  // A new version may bring a new schema: start the form afresh rather than keep stale fields.
  return (
    <SettingsFormBody
      key={plugin.version}
      plugin={plugin}
      settings={settings.data}
      schema={schema}
    />
  );
}

interface SettingsFormBodyProps {
  plugin: Plugin;
  settings: PluginSettings;
  schema: SettingsSchema;
}

function SettingsFormBody({ plugin, settings, schema }: SettingsFormBodyProps) {
  const save = useSavePluginSettings(plugin.id);
  const fields = settingFields(settings);
  const [state, setState] = useState<SettingsFormState>(() => initialFormState(fields, settings));
  const [problems, setProblems] = useState<Record<string, string>>({});

  const names = fields.map((field) => field.name);
  const serverErrors = save.isError
    ? formErrorsFrom(save.error, names)
    : { fields: {} as Partial<Record<string, string>>, form: null };
  const errorOf = (name: string) => problems[name] ?? serverErrors.fields[name];
  const anyFieldError = names.some((name) => errorOf(name) !== undefined);

  const setValue = (name: string, value: string | boolean) => {
    setState((current) => ({ ...current, values: { ...current.values, [name]: value } }));
  };
  const setClear = (name: string, clear: boolean) => {
    setState((current) => ({
      ...current,
      clearSecrets: { ...current.clearSecrets, [name]: clear },
    }));
  };

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const payload = settingsPayload(schema, state);
    if (!payload.ok) {
      setProblems(payload.problems);
      return;
    }
    setProblems({});
    save.mutate(payload.values, {
      onSuccess: (saved) => {
        // Typed secrets are stored now: empty the fields, which say so from here on.
        setState(initialFormState(settingFields(saved), saved));
        notifications.show({
          color: 'green',
          title: 'Settings saved',
          message: `${plugin.name} uses the new settings from now on.`,
        });
      },
    });
  }

  function handleReset() {
    setState(initialFormState(fields, settings));
    setProblems({});
    save.reset();
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`Settings of ${plugin.name}`}>
      <Stack gap="md" maw={640}>
        <FormErrorAlert
          title="The settings were not saved"
          message={
            serverErrors.form ??
            (anyFieldError ? 'Some settings need attention: see the messages below.' : null)
          }
        />
        {fields.map((field) => (
          <SettingInput
            key={field.name}
            field={field}
            value={state.values[field.name]}
            clear={state.clearSecrets[field.name] === true}
            error={errorOf(field.name)}
            onChange={(value) => {
              setValue(field.name, value);
            }}
            onClearChange={(clear) => {
              setClear(field.name, clear);
            }}
          />
        ))}
        <Group gap="sm">
          <Button
            type="submit"
            loading={save.isPending}
            leftSection={<IconDeviceFloppy size={16} aria-hidden />}
          >
            Save settings
          </Button>
          <Button variant="default" onClick={handleReset} disabled={save.isPending}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface SettingInputProps {
  field: SettingField;
  value: string | boolean | undefined;
  clear: boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
  onClearChange: (clear: boolean) => void;
}

function SettingInput({ field, value, clear, error, onChange, onClearChange }: SettingInputProps) {
  const text = typeof value === 'string' ? value : '';
  const common = {
    label: field.label,
    description: <FieldDescription field={field} />,
    required: field.required,
    error,
  };
  switch (field.control) {
    case 'switch':
      return (
        <Switch
          label={field.label}
          description={<FieldDescription field={field} />}
          error={error}
          checked={value === true}
          onChange={(event) => {
            onChange(event.currentTarget.checked);
          }}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          data={field.options}
          value={text === '' ? null : text}
          clearable={!field.required}
          allowDeselect={!field.required}
          placeholder={field.defaultText === null ? 'Not set' : `Default: ${field.defaultText}`}
          onChange={(next) => {
            onChange(next ?? '');
          }}
        />
      );
    case 'textarea':
      return (
        <Textarea
          {...common}
          autosize
          minRows={3}
          maxRows={12}
          value={text}
          placeholder={field.defaultText ?? undefined}
          onChange={(event) => {
            onChange(event.currentTarget.value);
          }}
        />
      );
    case 'secret':
      return (
        <Stack gap={6}>
          <PasswordField
            {...common}
            // Never pre-filled, and never offered to a password manager as a sign-in password.
            autoComplete="new-password"
            value={text}
            placeholder={field.secretStored ? 'A value is stored' : 'No value stored'}
            onChange={(event) => {
              onChange(event.currentTarget.value);
            }}
          />
          {field.secretStored && (
            <Checkbox
              size="xs"
              label={`Remove the stored value of ${field.label}`}
              checked={clear}
              disabled={text !== ''}
              onChange={(event) => {
                onClearChange(event.currentTarget.checked);
              }}
            />
          )}
        </Stack>
      );
    case 'text':
    case 'number':
      return (
        <TextInput
          {...common}
          inputMode={field.inputMode}
          autoComplete="off"
          spellCheck={field.control === 'text' ? undefined : false}
          value={text}
          placeholder={field.defaultText ?? undefined}
          onChange={(event) => {
            onChange(event.currentTarget.value);
          }}
        />
      );
  }
}

/** The plugin's help text, then the rules and default; inline, as it renders inside a <p>. */
function FieldDescription({ field }: { field: SettingField }) {
  const lines: ReactNode[] = [];
  if (field.description !== null) lines.push(field.description);
  const facts = [...field.rules];
  if (field.defaultText !== null && field.control !== 'switch') {
    facts.push(`Default: ${field.defaultText} (used when left empty)`);
  }
  if (facts.length > 0) lines.push(facts.join(' · '));
  if (field.control === 'secret') {
    lines.push(
      field.secretStored
        ? 'A value is stored — leave empty to keep it. It is never shown again.'
        : 'Stored as typed and never shown again.',
    );
  }
  if (field.browser) {
    lines.push(
      <span key="browser">
        <IconEye size={12} aria-hidden style={{ verticalAlign: 'middle' }} /> Visible to the
        plugin&apos;s pages: anyone who can open them can read it.
      </span>,
    );
  }
  if (lines.length === 0) return null;
  return lines.map((line, index) => (
    <span key={index} style={{ display: 'block' }}>
      {line}
    </span>
  ));
}
