import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { setHeader } from './response-headers.ts';

/** The Content-Security-Policy of every response, as directive → sources. */
const POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
};

function policy(nonce?: string): string {
  return Object.entries(POLICY)
    .map(([directive, sources]) => {
      const all = directive === 'script-src' && nonce ? [...sources, `'nonce-${nonce}'`] : sources;
      return `${directive} ${all.join(' ')}`;
    })
    .join('; ');
}

/** The headers every page and static file carries (helmet's and hono/secure-headers' defaults). */
const DOCUMENT_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];
const POLICY_WITHOUT_NONCE = policy();

/**
 * What an API answer (JSON, never a page) needs, after the OWASP REST Security Cheat Sheet: it may
 * not load or run anything, be framed or be sniffed into another type, and HTTPS sticks. The
 * document set above on every API call cost a trivial request more than half its throughput
 * (bench/RESULTS.md); the headers that only a page acts on are left out.
 */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";
const API_HEADERS: readonly (readonly [string, string])[] = [
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/**
 * The nonce that admits this response's inline scripts (the web app's import map), made on first
 * use: only an HTML page needs one, so an API call does not pay for the random bytes.
 */
export function cspNonce(c: Context<AppEnv>): string {
  let nonce = c.get('cspNonce');
  if (nonce === undefined) {
    nonce = randomBytes(16).toString('base64');
    c.set('cspNonce', nonce);
  }
  return nonce;
}

/**
 * Security headers on every response. Pages and static files get a strict Content-Security-Policy
 * (with a nonce when the handler asked for one) and the usual hardening headers, the same set as
 * hono/secure-headers; API answers get the short set for APIs. Both are built once, not per
 * request, and set in place on the response the handler made.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.req.path.startsWith('/api/')) {
      apply(c, API_POLICY, API_HEADERS);
    } else {
      const nonce = c.get('cspNonce');
      apply(c, nonce ? policy(nonce) : POLICY_WITHOUT_NONCE, DOCUMENT_HEADERS);
    }
  };
}

function apply(
  c: Context<AppEnv>,
  contentSecurityPolicy: string,
  others: readonly (readonly [string, string])[],
): void {
  // First, as it may replace a response whose headers are immutable with a copy.
  setHeader(c, 'Content-Security-Policy', contentSecurityPolicy);
  const headers = c.res.headers;
  for (const [name, value] of others) headers.set(name, value);
  headers.delete('X-Powered-By');
}
