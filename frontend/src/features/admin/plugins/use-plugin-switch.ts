import { notifications } from '@mantine/notifications';
import type { Plugin } from '../../../lib/api-types.ts';
import { describeError } from '../../../lib/error-messages.ts';
import { useActivatePlugin, useDeactivatePlugin } from './plugin-queries.ts';

export type PluginSwitchAction = 'activate' | 'deactivate';

/**
 * Activate and deactivate in one click: neither loses data, so neither asks to confirm. The row
 * changes in place from the answer; a refusal (a plugin that cannot start) is a notification.
 */
export function usePluginSwitch() {
  const activate = useActivatePlugin();
  const deactivate = useDeactivatePlugin();

  function run(action: PluginSwitchAction, plugin: Plugin) {
    const mutation = action === 'activate' ? activate : deactivate;
    mutation.mutate(plugin.id, {
      onSuccess: (updated) => {
        notifications.show({
          color: 'green',
          title: action === 'activate' ? 'Plugin activated' : 'Plugin deactivated',
          message:
            action === 'activate'
              ? `${updated.name} is active: its pages and links are back.`
              : `${updated.name} is off. Its data is kept; activate it to bring it back.`,
        });
      },
      onError: (error) => {
        notifications.show({
          color: 'red',
          title: `Could not ${action} ${plugin.name}`,
          message: describeError(error),
          autoClose: false,
        });
      },
    });
  }

  const pending = activate.isPending
    ? { action: 'activate' as const, id: activate.variables }
    : deactivate.isPending
      ? { action: 'deactivate' as const, id: deactivate.variables }
      : null;

  return { run, pending };
}
