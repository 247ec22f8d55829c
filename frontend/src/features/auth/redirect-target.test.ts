import { describe, expect, it } from 'vitest';
import { redirectStateFor, redirectTargetFrom } from './redirect-target.ts';

describe('redirectTargetFrom', () => {
  it('returns the page the reader came from, with its query and hash', () => {
    const state = redirectStateFor({ pathname: '/admin/audit', search: '?page=2', hash: '#x' });
    expect(redirectTargetFrom(state)).toBe('/admin/audit?page=2#x');
  });

  it('falls back to the home page without a usable state', () => {
    expect(redirectTargetFrom(null)).toBe('/');
    expect(redirectTargetFrom({})).toBe('/');
    expect(redirectTargetFrom({ from: 42 })).toBe('/');
  });

  it('never leaves the app', () => {
    expect(redirectTargetFrom({ from: 'https://evil.example' })).toBe('/');
    expect(redirectTargetFrom({ from: '//evil.example/path' })).toBe('/');
  });

  it('does not loop back to the sign-in or setup page', () => {
    expect(redirectTargetFrom({ from: '/login' })).toBe('/');
    expect(redirectTargetFrom({ from: '/setup?x=1' })).toBe('/');
  });
});
