export interface RateLimitRule {
  /** Failures allowed within the window before the key is locked until the window ends. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Seconds to wait if the key is locked, or 0. */
  retryAfter(key: string): number;
  recordFailure(key: string): void;
  reset(key: string): void;
}

interface Window {
  failures: number;
  resetAt: number;
}

const MAX_TRACKED_KEYS = 50_000;

/**
 * Fixed-window failure counter held in memory. One process is enough for sign-in throttling: a
 * second server would at worst double an attacker's budget. Memory is bounded: expired windows
 * are swept, and past MAX_TRACKED_KEYS the oldest entries go first.
 */
export function createRateLimiter(rule: RateLimitRule, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, Window>();

  function current(key: string): Window | undefined {
    const window = windows.get(key);
    if (window && window.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return window;
  }

  function sweep(): void {
    const time = now();
    for (const [key, window] of windows) if (window.resetAt <= time) windows.delete(key);
    for (const key of windows.keys()) {
      if (windows.size < MAX_TRACKED_KEYS) break;
      windows.delete(key);
    }
  }

  return {
    retryAfter(key) {
      const window = current(key);
      if (!window || window.failures < rule.limit) return 0;
      return Math.max(1, Math.ceil((window.resetAt - now()) / 1000));
    },
    recordFailure(key) {
      const window = current(key);
      if (window) {
        window.failures += 1;
        return;
      }
      if (windows.size >= MAX_TRACKED_KEYS) sweep();
      windows.set(key, { failures: 1, resetAt: now() + rule.windowMs });
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
