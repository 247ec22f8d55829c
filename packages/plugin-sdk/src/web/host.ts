/**
 * For the Polyphony host only: the providers it renders around plugin pages. Plugins never import
 * this entry; it is not in the import map.
 */
export { PageParamsContext, PluginContext } from './context.ts';
export type { PluginWebContext } from './types.ts';
