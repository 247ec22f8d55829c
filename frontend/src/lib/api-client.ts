import { createApiClient } from '@polyphony/plugin-sdk/web/api-client';

// The client lives in the plugin SDK, so the host and every plugin page fail the same way.
export * from '@polyphony/plugin-sdk/web/api-client';

/** The app's single client: one CSRF token per tab, set by the session hooks. */
export const api = createApiClient();
