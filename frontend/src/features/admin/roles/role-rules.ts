/** The server's rule for role names (docs/api.md), checked before sending. */
const ROLE_NAME_PATTERN = /^[a-z0-9-]+$/;
export const ROLE_NAME_MIN = 2;
export const ROLE_NAME_MAX = 32;
export const ROLE_NAME_HINT = '2–32 characters: lowercase letters, digits and hyphens.';

export function roleNameProblem(value: string): string | null {
  const name = value.trim();
  if (name === '') return 'Enter a name.';
  if (name.length < ROLE_NAME_MIN) return `Use at least ${ROLE_NAME_MIN} characters.`;
  if (name.length > ROLE_NAME_MAX) return `Use at most ${ROLE_NAME_MAX} characters.`;
  if (!ROLE_NAME_PATTERN.test(name)) return 'Use only lowercase letters, digits and hyphens.';
  return null;
}
