/**
 * `@polyphony/plugin-kit`: what the `polyphony-plugin` commands do, as functions, for scripts and
 * tests. Each takes the plugin project's folder; each refuses with a `KitError` (matched with
 * `isKitError` and its `code`) when the person running it can fix the problem.
 */
export { createPlugin, type CreatePluginOptions, type CreatedPlugin } from './create/create.ts';
export { buildPlugin, type BuildPluginOptions, type BuildResult } from './build/build.ts';
export { packPlugin, type PackPluginOptions, type PackResult } from './pack/pack.ts';
export {
  formatProblem,
  validatePlugin,
  type ArchiveProblem,
  type ValidatePluginOptions,
  type ValidateResult,
} from './validate/validate.ts';
export { DEFAULT_URL, runDev, type DevOptions } from './dev/dev.ts';
export {
  createUploadClient,
  type UploadClient,
  type UploadClientOptions,
  type UploadOutcome,
} from './dev/upload-client.ts';
export { isKitError, KitError, type KitErrorCode } from './kit-error.ts';
export { POLYPHONY_VERSION } from './host-version.ts';
export { main } from './cli.ts';
