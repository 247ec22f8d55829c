import type { Logger } from 'pino';
import type { PluginConfig } from '../config/config.ts';
import type { CoreServices } from '../services.ts';
import { createPluginManager, type PluginManager } from './plugin-manager.ts';
import type { PluginHttp } from './plugin-routes.ts';
import { createPluginRuntime, type PluginRuntime } from './plugin-runtime.ts';

export interface PluginSystemOptions {
  services: Pick<CoreServices, 'db' | 'dialect' | 'audit' | 'now'>;
  logger: Logger;
  pluginsDir: string;
  config: PluginConfig;
  /** False for the operator CLI: it changes plugins but serves none. */
  serve: boolean;
  checkpoint?: (step: string) => void | Promise<void>;
  hostVersion?: string;
}

export interface PluginSystem {
  manager: PluginManager;
  runtime: PluginRuntime | null;
  /** What the HTTP app needs; null when not serving. */
  http: PluginHttp | null;
}

/** Wires the plugin host: one runtime (what serves here) and one manager (every lifecycle change). */
export function createPluginSystem(options: PluginSystemOptions): PluginSystem {
  const { services, config } = options;
  // The runtime asks the manager, which is built with the runtime: bound once both exist.
  let manager: PluginManager | null = null;
  const runtime = options.serve
    ? createPluginRuntime({
        hookTimeoutMs: config.hookTimeoutMs,
        isCurrent: (id, sha256) => manager?.isCurrent(id, sha256) ?? Promise.resolve(true),
      })
    : null;
  manager = createPluginManager({
    db: services.db,
    dialect: services.dialect,
    audit: services.audit,
    now: services.now,
    logger: options.logger,
    pluginsDir: options.pluginsDir,
    limits: config.limits,
    runtime,
    hookTimeoutMs: config.hookTimeoutMs,
    migrationTimeoutMs: config.migrationTimeoutMs,
    syncIntervalMs: config.syncIntervalMs,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(options.hostVersion ? { hostVersion: options.hostVersion } : {}),
  });
  return {
    manager,
    runtime,
    http: runtime ? { manager, runtime, maxUploadBytes: config.limits.maxUploadBytes } : null,
  };
}
