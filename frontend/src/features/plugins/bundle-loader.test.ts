import { describe, expect, it } from 'vitest';
import {
  classifyImportFailure,
  isPluginBundleError,
  loadPluginBundle,
  readDefinition,
  type ProbeResult,
} from './bundle-loader.ts';

const URL_ = '/plugin-assets/notes/abcdef123456/index.js';
const fetchFailed = new TypeError(`Failed to fetch dynamically imported module: ${URL_}`);
const answered =
  (status: number, contentType = 'text/javascript; charset=utf-8') =>
  (): Promise<ProbeResult> =>
    Promise.resolve({ reached: true, status, contentType });

async function kindOf(error: unknown, probe?: () => Promise<ProbeResult>) {
  const failure = await classifyImportFailure(error, URL_, probe);
  return { kind: failure.kind, message: failure.message };
}

describe('classifyImportFailure', () => {
  it('tells a missing file, a server error and an unreachable server apart', async () => {
    expect((await kindOf(fetchFailed, answered(404))).kind).toBe('not-found');
    expect(await kindOf(fetchFailed, answered(500))).toMatchObject({
      kind: 'http',
      message: expect.stringContaining('500') as string,
    });
    const offline = () => Promise.resolve<ProbeResult>({ reached: false, error: new Error('x') });
    expect((await kindOf(fetchFailed, offline)).kind).toBe('network');
  });

  it('names a file served as something other than JavaScript', async () => {
    expect(await kindOf(fetchFailed, answered(200, 'text/html; charset=utf-8'))).toMatchObject({
      kind: 'invalid-module',
      message: expect.stringContaining('text/html') as string,
    });
  });

  it('blames a dependency when the entry itself is fine', async () => {
    expect(await kindOf(fetchFailed, answered(200))).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('imports') as string,
    });
  });

  it('names an import the host does not share', async () => {
    const error = new TypeError(
      'Failed to resolve module specifier "lodash". Relative references must start with either "/", "./", or "../".',
    );
    expect(await kindOf(error)).toMatchObject({
      kind: 'unresolved-import',
      message: expect.stringContaining('"lodash"') as string,
    });
  });

  it('reports a syntax error and an error thrown while the bundle starts', async () => {
    expect(await kindOf(new SyntaxError("Unexpected token '<'"))).toMatchObject({
      kind: 'evaluation',
      message: expect.stringContaining('not valid JavaScript') as string,
    });
    expect(await kindOf(new Error('window.foo is undefined'))).toMatchObject({
      kind: 'evaluation',
      message: expect.stringContaining('window.foo is undefined') as string,
    });
    expect((await kindOf('a thrown string')).kind).toBe('evaluation');
  });
});

describe('readDefinition', () => {
  const Page = () => null;

  it('accepts pages and a settings page, memo-style objects included', () => {
    const memo = { $$typeof: Symbol.for('react.memo'), type: Page };
    const definition = readDefinition(
      {
        default: {
          pages: [
            { path: '/', component: Page },
            { path: '/x', component: memo },
          ],
        },
      },
      URL_,
    );
    expect(definition.pages).toHaveLength(2);
    expect(readDefinition({ default: { settingsPage: Page } }, URL_).settingsPage).toBe(Page);
  });

  it('lists every problem at once', () => {
    let caught: unknown;
    try {
      readDefinition(
        {
          default: {
            pages: [
              { path: 'relative', component: Page },
              { path: '/', component: 'Page', roles: 'admin' },
              { path: '/', component: Page, title: 3 },
            ],
            settingsPage: 42,
          },
        },
        URL_,
      );
    } catch (error) {
      caught = error;
    }
    expect(isPluginBundleError(caught)).toBe(true);
    const { kind, message } = caught as { kind: string; message: string };
    expect(kind).toBe('invalid-module');
    for (const part of [
      'pages[0].path must be a path starting with "/"',
      'pages[1].component must be a React component',
      'pages[1].roles must be a list of role names',
      'pages[2].path "/" is declared twice',
      'pages[2].title must be text',
      'settingsPage must be a React component',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('refuses a module without a usable default export', () => {
    for (const loaded of [{}, { default: null }, { default: () => null }, null]) {
      expect(() => readDefinition(loaded, URL_)).toThrow(/default export must be an object/);
    }
    expect(() => readDefinition({ default: {} }, URL_)).toThrow(/neither pages nor a settingsPage/);
  });
});

describe('loadPluginBundle', () => {
  it('imports, checks, and retries under a fresh URL', async () => {
    const urls: string[] = [];
    const importer = (url: string) => {
      urls.push(url);
      return Promise.resolve({ default: { pages: [{ path: '/', component: () => null }] } });
    };
    await loadPluginBundle(URL_, 0, importer);
    await loadPluginBundle(URL_, 2, importer);
    expect(urls).toEqual([URL_, `${URL_}?attempt=2`]);
  });

  it('turns an import failure into a classified error', async () => {
    const importer = () => Promise.reject(fetchFailed);
    await expect(loadPluginBundle(URL_, 0, importer, answered(404))).rejects.toMatchObject({
      name: 'PluginBundleError',
      kind: 'not-found',
    });
  });
});
