import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password.ts';

const hasher = createPasswordHasher({ N: 1024, r: 8, p: 1 });

describe('password hasher', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await hasher.verify('correct horse battery', stored)).toBe(true);
    expect(await hasher.verify('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('verifies hashes made with other cost parameters', async () => {
    const stronger = createPasswordHasher({ N: 2048, r: 8, p: 1 });
    const stored = await stronger.hash('pw-123456');
    expect(await hasher.verify('pw-123456', stored)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    expect(await hasher.verify('x', 'plain-text')).toBe(false);
    expect(await hasher.verify('x', 'bcrypt$1$2$3$4$5')).toBe(false);
  });
});
