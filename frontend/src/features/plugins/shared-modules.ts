import * as SdkWeb from '@polyphony/plugin-sdk/web';
import * as React from 'react';
import * as ReactDom from 'react-dom';
import * as ReactDomClient from 'react-dom/client';
import * as JsxRuntime from 'react/jsx-runtime';

/**
 * The global that the import map's shim modules read (frontend/build/shared-modules.ts writes
 * them; its `SHARED_GLOBAL` must equal this, which a unit test checks).
 */
export const SHARED_MODULES_GLOBAL = '__POLYPHONY_SHARED_MODULES__';

/** The very modules this app runs, keyed by the specifiers plugin bundles import. */
export const sharedModules = {
  react: React,
  'react/jsx-runtime': JsxRuntime,
  'react-dom': ReactDom,
  'react-dom/client': ReactDomClient,
  '@polyphony/plugin-sdk/web': SdkWeb,
} as const;

/**
 * Hands the app's own React and SDK to plugin bundles: one React, so hooks and context work
 * across the boundary. Runs once, before any plugin bundle can load.
 */
export function registerSharedModules(): void {
  Object.defineProperty(globalThis, SHARED_MODULES_GLOBAL, {
    value: Object.freeze({ ...sharedModules }),
    writable: false,
    configurable: false,
    enumerable: false,
  });
}
