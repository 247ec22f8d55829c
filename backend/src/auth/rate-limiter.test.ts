import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

describe('rate limiter', () => {
  it('locks a key after the limit and frees it when the window ends', () => {
    let time = 1_000_000;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000 }, () => time);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('alice')).toBe(0);
      limiter.recordFailure('alice');
    }
    expect(limiter.retryAfter('alice')).toBe(60);
    expect(limiter.retryAfter('bob')).toBe(0);
    time += 30_000;
    expect(limiter.retryAfter('alice')).toBe(30);
    time += 30_000;
    expect(limiter.retryAfter('alice')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 });
    limiter.recordFailure('k');
    expect(limiter.retryAfter('k')).toBeGreaterThan(0);
    limiter.reset('k');
    expect(limiter.retryAfter('k')).toBe(0);
  });
});
