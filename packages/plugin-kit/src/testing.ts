/**
 * `@polyphony/plugin-kit/testing`: a Polyphony host booted in the test's process (SQLite in
 * memory) with the plugin installed, so a plugin's tests call its routes for real. The host's own
 * helper, re-exported so that a plugin depends on the kit alone.
 */
export * from '@polyphony/backend/testing';
