import { createContext } from 'react';
import type { PluginWebContext } from './types.ts';

/** Set by the host around every plugin page; one instance, shared through the import map. */
export const PluginContext = createContext<PluginWebContext | null>(null);
PluginContext.displayName = 'PolyphonyPlugin';

/** The matched page's route parameters. */
export const PageParamsContext = createContext<Readonly<Record<string, string>>>({});
PageParamsContext.displayName = 'PolyphonyPageParams';
