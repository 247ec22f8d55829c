import { z } from 'zod';

export const BUILTIN_ROLES = ['admin', 'editor', 'viewer'] as const;
export const ADMIN_ROLE = 'admin';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,31}$/,
    'Use 3 to 32 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const passwordSchema = z
  .string()
  .min(8, 'Use at least 8 characters')
  .max(256, 'Use at most 256 characters');

export const roleNameSchema = z
  .string()
  .trim()
  .min(2, 'Use at least 2 characters')
  .max(32, 'Use at most 32 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase letters and digits, words joined by "-"');

export function isBuiltinRole(name: string): boolean {
  return (BUILTIN_ROLES as readonly string[]).includes(name);
}
