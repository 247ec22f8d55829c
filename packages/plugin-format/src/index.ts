/**
 * The plugin archive format, shared by the Polyphony host (which installs archives) and the
 * plugin kit (which builds and validates them): one copy of every check, so `validate` and the
 * install cannot disagree.
 */
export {
  isPluginFormatError,
  PLUGIN_FORMAT_ERROR_CODES,
  PluginFormatError,
  type PluginFormatErrorCode,
  type PluginFormatErrorOptions,
} from './errors.ts';
export {
  assertCompatible,
  MANIFEST_FILE,
  manifestSchema,
  parseManifest,
  PLUGIN_ID_PATTERN,
  pluginIdSchema,
  readManifestFile,
  RESERVED_PLUGIN_IDS,
  resolveEntries,
  type Manifest,
  type ManifestIssue,
  type ManifestNavigationEntry,
  type ResolvedEntries,
} from './manifest.ts';
export {
  applySettingsUpdate,
  browserSettings,
  MAX_SETTINGS,
  MAX_TEXT_LENGTH,
  publicSettings,
  resolveSettings,
  settingsSchemaSchema,
  type SettingProperty,
  type SettingsSchema,
  type SettingType,
  type SettingValue,
  type SettingValues,
} from './settings-schema.ts';
export {
  asError,
  extractArchive,
  sha256File,
  toStorageError,
  type ExtractedArchive,
} from './archive/extract.ts';
export { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive/limits.ts';
export {
  createZip,
  DEFAULT_ZIP_TIME,
  DEFLATE_LEVEL,
  LATEST_ZIP_TIME,
  listFiles,
  zipArchiveTree,
  type ZipEntry,
  type ZipOptions,
} from './archive/release-zip.ts';
export {
  inspectArchive,
  type ArchiveInspection,
  type ArchiveProblem,
  type InspectArchiveOptions,
} from './inspect.ts';
