/**
 * The version of `@polyphony/plugin-sdk` this code is, as in its package.json. A plugin that
 * bundles the SDK carries the version it was built with; tools can print it.
 */
export const SDK_VERSION = '0.1.0';
