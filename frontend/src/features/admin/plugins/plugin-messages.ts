import { isApiError, isRecord } from '../../../lib/api-client.ts';
import type { PluginState, PluginUploadResult } from '../../../lib/api-types.ts';
import { describeError } from '../../../lib/error-messages.ts';
import type { ValidationIssue } from '../../../lib/error-messages.ts';

export const STATE_LABELS: Record<PluginState, string> = {
  active: 'Active',
  deactivated: 'Deactivated',
  failed: 'Failed',
};

export const STATE_COLORS: Record<PluginState, string> = {
  active: 'green',
  deactivated: 'gray',
  failed: 'red',
};

export interface Notice {
  title: string;
  message: string;
  color: 'green' | 'orange';
}

/** The notification after an upload: which of install or upgrade happened, and how it ended. */
export function uploadSucceeded({ plugin, upgradedFrom }: PluginUploadResult): Notice {
  if (plugin.state === 'failed') {
    return {
      title: 'Plugin upgraded, but it could not start',
      message: `${plugin.name} is now ${plugin.version} (was ${upgradedFrom ?? '?'}), marked Failed: ${plugin.error ?? 'no reason given'}`,
      color: 'orange',
    };
  }
  const state = plugin.state === 'active' ? 'active' : 'deactivated, as it was';
  if (upgradedFrom === null) {
    return {
      title: 'Plugin installed',
      message: `${plugin.name} ${plugin.version} is installed and ${state}.`,
      color: 'green',
    };
  }
  return {
    title: 'Plugin upgraded',
    message: `${plugin.name} was upgraded from ${upgradedFrom} to ${plugin.version}; it is ${state}.`,
    color: 'green',
  };
}

/** Plain words for why an archive was refused; the server's own message says which part. */
const UPLOAD_EXPLANATIONS: Record<string, string> = {
  UPLOAD_INVALID: 'The file did not arrive as a single ZIP upload. Choose the file again.',
  PAYLOAD_TOO_LARGE: 'The file is larger than this server accepts for a plugin.',
  ARCHIVE_INVALID:
    'The file is not a ZIP archive that can be read: it may be damaged, encrypted, or another kind of file.',
  ARCHIVE_UNSAFE_PATH:
    "The archive holds a file whose name could land outside the plugin's folder.",
  ARCHIVE_UNSUPPORTED_ENTRY:
    'The archive holds a symbolic link or something else that is not a plain file or folder.',
  ARCHIVE_TOO_LARGE:
    "The archive holds too many files, or unpacks too large, for this server's limits.",
  MANIFEST_MISSING:
    'There is no plugin.json at the root of the archive. Zip the contents of the plugin folder, not the folder itself.',
  MANIFEST_INVALID: "The plugin's manifest (plugin.json) has mistakes.",
  PLUGIN_INCOMPATIBLE: 'This plugin does not support this version of Polyphony.',
  PLUGIN_VERSION_EXISTS: 'This version is installed already. To upgrade, upload a newer version.',
  PLUGIN_DOWNGRADE:
    'A newer version of this plugin is installed. To go back, uninstall it first: its data goes with it.',
  PLUGIN_BUSY: 'Another operation on this plugin is running. Try again when it is done.',
  PLUGIN_NAMESPACE_TAKEN: "Another plugin already uses this plugin's table names.",
  PLUGIN_LOAD_FAILED: "The plugin's backend code could not be loaded. Nothing was installed.",
  PLUGIN_MIGRATION_FAILED:
    "The plugin's database changes failed and were all rolled back. Nothing changed.",
  PLUGIN_MIGRATIONS_MISMATCH:
    'This version removes, renames or reorders database migrations that have already run. Its author has to fix the archive.',
  PLUGIN_NAMESPACE_VIOLATION:
    'The plugin touched database tables that are not its own. Nothing was installed.',
  PLUGIN_ACTIVATION_FAILED: 'The plugin failed to start, so the install was undone.',
  PLUGIN_STORAGE_FAILED:
    'The server could not write to its plugins folder: the disk may be full or read-only.',
};

export interface UploadFailure {
  /** What the code means, in this app's words. */
  explanation: string;
  /** The server's own message, which names the file, field or limit; null when it said nothing more. */
  serverMessage: string | null;
  /** The error code, for searching the docs and the audit log; null when no answer came. */
  code: string | null;
  /**
   * Each mistake in plugin.json (MANIFEST_INVALID), its path the field ("plugin.json" for the
   * manifest as a whole), or each bad entry of the archive (ARCHIVE_*), its path the entry's name.
   */
  issues: ValidationIssue[];
}

export function describeUploadFailure(error: unknown): UploadFailure {
  if (!isApiError(error)) {
    return { explanation: describeError(error), serverMessage: null, code: null, issues: [] };
  }
  const explanation = UPLOAD_EXPLANATIONS[error.code] ?? describeError(error);
  const serverMessage =
    error.message === '' || error.message === explanation ? null : error.message;
  return {
    explanation: withDetails(error.code, explanation, error.details),
    serverMessage,
    code: error.code,
    issues: issuesOf(error.code, error.details),
  };
}

function withDetails(
  code: string,
  explanation: string,
  details: Record<string, unknown> | undefined,
): string {
  if (code === 'PLUGIN_INCOMPATIBLE') {
    const { supported, host } = details ?? {};
    if (typeof supported === 'string' && typeof host === 'string') {
      return `${explanation} It supports Polyphony ${supported}; this server runs ${host}.`;
    }
  }
  return explanation;
}

/**
 * MANIFEST_INVALID lists its issues like VALIDATION_FAILED does; an archive refused for its entries
 * lists every bad one the same way (packages/plugin-format/src/archive/extract.ts).
 */
function issuesOf(code: string, details: Record<string, unknown> | undefined): ValidationIssue[] {
  const manifest = code === 'MANIFEST_INVALID';
  const issues = details?.issues;
  if ((!manifest && !code.startsWith('ARCHIVE_')) || !Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) => {
    if (!isRecord(issue) || typeof issue.message !== 'string') return [];
    const path = typeof issue.path === 'string' ? issue.path : '';
    // A manifest issue at '' is about plugin.json as a whole; an entry's name is shown as it is.
    return [{ path: manifest && path === '' ? 'plugin.json' : path, message: issue.message }];
  });
}
