/**
 * The Polyphony version this kit was made with. New plugins declare `^POLYPHONY_VERSION` as the
 * host range they support. A constant rather than a lookup, because the kit also runs outside a
 * Polyphony checkout; host-version.test.ts keeps it equal to the root package.json's version,
 * which is the host's own (backend/src/plugin-host/host-version.ts).
 */
export const POLYPHONY_VERSION = '0.1.0';

/**
 * The `polyphony` range of a new plugin. In 0.x a caret means "this minor version only", the safe
 * choice while the contract may still change between minor versions.
 */
export function defaultHostRange(version: string = POLYPHONY_VERSION): string {
  return `^${version}`;
}
