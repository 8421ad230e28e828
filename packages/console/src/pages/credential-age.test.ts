import { describe, expect, it } from 'vitest';
import { needsLook } from './credential-age.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const key1 = (active: string, rotated: string, used: string) => ({ access_key_1_active: active, access_key_1_last_rotated: rotated, access_key_1_last_used_date: used });

describe('needsLook', () => {
  it.each([
    ['a key used yesterday, created last month', key1('true', '2026-11-07T00:00:00+00:00', '2026-12-06T00:00:00+00:00'), 'access_key_1_last_used_date', false],
    ['a key created an hour ago, never used', key1('true', '2026-12-07T11:00:00+00:00', 'N/A'), 'access_key_1_last_used_date', false],
    ['a key created 91 days ago, never used', key1('true', '2026-09-07T00:00:00+00:00', 'N/A'), 'access_key_1_last_used_date', true],
    ['a second key created 91 days ago, never used', { access_key_2_active: 'true', access_key_2_last_rotated: '2026-09-07T00:00:00+00:00', access_key_2_last_used_date: 'N/A' }, 'access_key_2_last_used_date', true],
    ['a key unused for 91 days', key1('true', '2026-01-01T00:00:00+00:00', '2026-09-07T00:00:00+00:00'), 'access_key_1_last_used_date', true],
    ['an inactive key never used', key1('false', '2026-01-01T00:00:00+00:00', 'N/A'), 'access_key_1_last_used_date', false],
    ['an active key rotated 91 days ago', key1('true', '2026-09-07T00:00:00+00:00', '2026-12-06T00:00:00+00:00'), 'access_key_1_last_rotated', true],
    ['an active key rotated 89 days ago', key1('true', '2026-09-09T00:00:00+00:00', '2026-12-06T00:00:00+00:00'), 'access_key_1_last_rotated', false],
    ['an inactive old key', key1('false', '2025-01-01T00:00:00+00:00', 'N/A'), 'access_key_1_last_rotated', false],
    ['no key', key1('false', 'N/A', 'N/A'), 'access_key_1_last_rotated', false],
    ['an old second key', { access_key_2_active: 'true', access_key_2_last_rotated: '2025-01-01T00:00:00+00:00' }, 'access_key_2_last_rotated', true],
    ['a password set 91 days ago, never used', { password_enabled: 'true', password_last_changed: '2026-09-07T00:00:00+00:00', password_last_used: 'no_information' }, 'password_last_used', true],
    ['a password set yesterday, never used', { password_enabled: 'true', password_last_changed: '2026-12-06T00:00:00+00:00', password_last_used: 'no_information' }, 'password_last_used', false],
    ['a password used last week', { password_enabled: 'true', password_last_used: '2026-11-30T00:00:00+00:00' }, 'password_last_used', false],
    ['no password', { password_enabled: 'false', password_last_used: 'N/A' }, 'password_last_used', false],
    ['another column', key1('true', '2025-01-01T00:00:00+00:00', 'N/A'), 'user', false],
  ])('%s: %s is %s', (_, row, column, expected) => {
    expect(needsLook(row, column, NOW)).toBe(expected);
  });
});
