import type { ComponentType } from 'react';
import type { PluginFrontendDefinition, PluginPageDefinition } from '@polyphony/plugin-sdk/web';

/** Why a plugin's bundle could not be used: each kind gets its own explanation on screen. */
export type BundleFailureKind =
  /** The server could not be reached. */
  | 'network'
  /** The server has no such file: the plugin was upgraded or removed meanwhile, or it is broken. */
  | 'not-found'
  /** The server answered with another error status. */
  | 'http'
  /** The file is not JavaScript, or does not export what a plugin bundle must. */
  | 'invalid-module'
  /** The bundle imports a module the host does not share (it should have bundled it). */
  | 'unresolved-import'
  /** The bundle is not valid JavaScript, or threw while it was starting. */
  | 'evaluation';

export interface BundleFailure {
  readonly name: 'PluginBundleError';
  readonly kind: BundleFailureKind;
  readonly message: string;
  readonly url: string;
  readonly status?: number;
  readonly cause?: unknown;
}

export class PluginBundleError extends Error implements BundleFailure {
  override readonly name = 'PluginBundleError';
  readonly kind: BundleFailureKind;
  readonly url: string;
  readonly status: number | undefined;

  constructor(
    kind: BundleFailureKind,
    message: string,
    url: string,
    extra: { status?: number; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.kind = kind;
    this.url = url;
    this.status = extra.status;
  }
}

/** Recognised by shape, not `instanceof`: errors may cross module copies (house style). */
export function isPluginBundleError(value: unknown): value is BundleFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'PluginBundleError' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/** What a second look at the URL found, after `import()` failed without saying why. */
export type ProbeResult =
  { reached: false; error: unknown } | { reached: true; status: number; contentType: string };

export async function probeUrl(url: string): Promise<ProbeResult> {
  try {
    const response = await fetch(url, { method: 'GET', cache: 'no-store' });
    void response.body?.cancel();
    return {
      reached: true,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
    };
  } catch (error) {
    return { reached: false, error };
  }
}

const FETCH_FAILED =
  /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed/i;
const UNRESOLVED = /Failed to resolve module specifier ["']([^"']+)["']/i;
const JAVASCRIPT = /^(text|application)\/(javascript|ecmascript)\b/i;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns a failed `import()` into a failure that says what went wrong. Browsers report a missing
 * file, a network error and a wrong content type all as one "failed to fetch" error, so the URL
 * is fetched once more to tell them apart.
 */
export async function classifyImportFailure(
  error: unknown,
  url: string,
  probe: (url: string) => Promise<ProbeResult> = probeUrl,
): Promise<PluginBundleError> {
  const message = messageOf(error);
  const unresolved = UNRESOLVED.exec(message);
  if (unresolved !== null) {
    const specifier = unresolved[1] ?? '';
    return new PluginBundleError(
      'unresolved-import',
      `The bundle imports "${specifier}", which Polyphony does not share with plugins. A bundle must include its own dependencies; only react, react-dom and @polyphony/plugin-sdk/web may stay external.`,
      url,
      { cause: error },
    );
  }
  if (error instanceof SyntaxError) {
    return new PluginBundleError(
      'evaluation',
      `The bundle is not valid JavaScript: ${message}`,
      url,
      { cause: error },
    );
  }
  if (!(error instanceof TypeError) || !FETCH_FAILED.test(message)) {
    return new PluginBundleError(
      'evaluation',
      `The bundle failed while starting: ${message}`,
      url,
      {
        cause: error,
      },
    );
  }

  const found = await probe(url);
  if (!found.reached) {
    return new PluginBundleError(
      'network',
      'The bundle could not be downloaded: the server did not answer. Check the connection.',
      url,
      { cause: error },
    );
  }
  if (found.status === 404) {
    return new PluginBundleError(
      'not-found',
      'The server has no bundle at this address. The plugin may have been upgraded or removed a moment ago; reloading the page picks up its current version.',
      url,
      { status: 404, cause: error },
    );
  }
  if (found.status >= 400) {
    return new PluginBundleError(
      'http',
      `The server answered ${found.status} for the bundle.`,
      url,
      { status: found.status, cause: error },
    );
  }
  if (!JAVASCRIPT.test(found.contentType)) {
    return new PluginBundleError(
      'invalid-module',
      `The bundle is served as "${found.contentType || 'no content type'}", not as JavaScript.`,
      url,
      { status: found.status, cause: error },
    );
  }
  // The entry itself is there: something it imports is not.
  return new PluginBundleError(
    'network',
    'A file the bundle imports could not be downloaded.',
    url,
    { cause: error },
  );
}

function isComponent(value: unknown): value is ComponentType {
  // Functions and classes, and the objects memo(), forwardRef() and lazy() return.
  return (
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && '$$typeof' in value)
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Checks the module's default export against the contract (docs/plugins/frontend.md) and lists
 * every problem at once, so an author fixes them in one go.
 */
export function readDefinition(moduleValue: unknown, url: string): PluginFrontendDefinition {
  const fail = (problems: string[]) =>
    new PluginBundleError(
      'invalid-module',
      `The bundle does not export what a plugin frontend must: ${problems.join('; ')}.`,
      url,
    );
  const exported =
    typeof moduleValue === 'object' && moduleValue !== null
      ? (moduleValue as { default?: unknown }).default
      : undefined;
  if (typeof exported !== 'object' || exported === null) {
    throw fail(['its default export must be an object like { pages: [...] }']);
  }
  const { pages, settingsPage } = exported as Record<string, unknown>;
  const problems: string[] = [];
  const checked: PluginPageDefinition[] = [];
  if (pages !== undefined && !Array.isArray(pages)) problems.push('pages must be an array');
  if (Array.isArray(pages)) {
    const seen = new Set<string>();
    pages.forEach((page: unknown, index) => {
      const where = `pages[${index}]`;
      if (typeof page !== 'object' || page === null) {
        problems.push(`${where} must be an object`);
        return;
      }
      const { path, component, title, roles } = page as Record<string, unknown>;
      if (typeof path !== 'string' || !path.startsWith('/')) {
        problems.push(`${where}.path must be a path starting with "/"`);
      } else if (seen.has(path)) {
        problems.push(`${where}.path "${path}" is declared twice`);
      } else {
        seen.add(path);
      }
      if (!isComponent(component)) problems.push(`${where}.component must be a React component`);
      if (title !== undefined && typeof title !== 'string')
        problems.push(`${where}.title must be text`);
      if (roles !== undefined && !isStringArray(roles))
        problems.push(`${where}.roles must be a list of role names`);
      checked.push(page as PluginPageDefinition);
    });
  }
  if (settingsPage !== undefined && !isComponent(settingsPage)) {
    problems.push('settingsPage must be a React component');
  }
  if (pages === undefined && settingsPage === undefined) {
    problems.push('it declares neither pages nor a settingsPage');
  }
  if (problems.length > 0) throw fail(problems);
  return {
    pages: checked,
    ...(settingsPage === undefined ? {} : { settingsPage: settingsPage as ComponentType }),
  };
}

export type ModuleImporter = (url: string) => Promise<unknown>;

const importFromUrl: ModuleImporter = (url) => import(/* @vite-ignore */ url);

/**
 * Loads a plugin's bundle. `attempt` > 0 adds a query to the URL: browsers remember a failed
 * module fetch, and a retry must really try again (the asset server ignores the query).
 */
export async function loadPluginBundle(
  url: string,
  attempt = 0,
  importModule: ModuleImporter = importFromUrl,
  probe: (url: string) => Promise<ProbeResult> = probeUrl,
): Promise<PluginFrontendDefinition> {
  const target = attempt === 0 ? url : `${url}?attempt=${attempt}`;
  let loaded: unknown;
  try {
    loaded = await importModule(target);
  } catch (error) {
    throw await classifyImportFailure(error, target, probe);
  }
  return readDefinition(loaded, url);
}
