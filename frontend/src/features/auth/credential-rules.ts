/** The server's rules for usernames and passwords (docs/api.md), checked before sending. */

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const USERNAME_HINT =
  '3–32 characters: lowercase letters, digits, dots, underscores and hyphens.';
export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters.`;

/** The server lower-cases usernames; doing it here too means what is checked is what is sent. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

export function usernameProblem(value: string): string | null {
  const username = normalizeUsername(value);
  if (username === '') return 'Enter a username.';
  if (username.length < USERNAME_MIN) return `Use at least ${USERNAME_MIN} characters.`;
  if (username.length > USERNAME_MAX) return `Use at most ${USERNAME_MAX} characters.`;
  if (!USERNAME_PATTERN.test(username)) {
    return 'Use only letters, digits, dots, underscores and hyphens, starting with a letter or digit.';
  }
  return null;
}

export function passwordProblem(value: string): string | null {
  if (value === '') return 'Enter a password.';
  if (value.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (value.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return null;
}

/** The problems of a new account's username and password, by field; empty when both are fine. */
export function credentialProblems(
  username: string,
  password: string,
): Partial<Record<'username' | 'password', string>> {
  const problems: Partial<Record<'username' | 'password', string>> = {};
  const usernameIssue = usernameProblem(username);
  const passwordIssue = passwordProblem(password);
  if (usernameIssue !== null) problems.username = usernameIssue;
  if (passwordIssue !== null) problems.password = passwordIssue;
  return problems;
}
