/**
 * Which cells of the credential report need a look: a password or access key that is on but unused
 * for {@link STALE_DAYS} days (or never used since it was set more than that ago), and an active access key created or last rotated more
 * than {@link STALE_DAYS} days ago (CIS's "rotate access keys every 90 days"). Values are the
 * report's: ISO dates, or `N/A` / `no_information` / `not_supported`.
 */
export const STALE_DAYS = 90;
const DAY_MS = 86_400_000;

type Row = Record<string, string>;

function olderThanStale(value: string | undefined, now: number): boolean {
  const t = Date.parse(value ?? '');
  return Number.isFinite(t) && now - t > STALE_DAYS * DAY_MS;
}

/**
 * On (`true`) but unused for {@link STALE_DAYS} days, or never used and set (`setKey`: the key's
 * creation, the password's last change) more than {@link STALE_DAYS} days ago: a key made this
 * morning and not used yet is not stale.
 */
function unused(row: Row, enabledKey: string, usedKey: string, setKey: string, now: number): boolean {
  if (row[enabledKey] !== 'true') return false;
  const used = row[usedKey];
  if (!used || used === 'N/A' || used === 'no_information') return olderThanStale(row[setKey], now);
  return olderThanStale(used, now);
}

/** The column each flagged column is judged by with its "on" column. */
const RULES: Record<string, (row: Row, now: number) => boolean> = {
  password_last_used: (row, now) => unused(row, 'password_enabled', 'password_last_used', 'password_last_changed', now),
  access_key_1_last_used_date: (row, now) => unused(row, 'access_key_1_active', 'access_key_1_last_used_date', 'access_key_1_last_rotated', now),
  access_key_2_last_used_date: (row, now) => unused(row, 'access_key_2_active', 'access_key_2_last_used_date', 'access_key_2_last_rotated', now),
  access_key_1_last_rotated: (row, now) => row['access_key_1_active'] === 'true' && olderThanStale(row['access_key_1_last_rotated'], now),
  access_key_2_last_rotated: (row, now) => row['access_key_2_active'] === 'true' && olderThanStale(row['access_key_2_last_rotated'], now),
};

/** Whether the report's `column` of `row` is highlighted at `now` (ms). */
export function needsLook(row: Row, column: string, now: number): boolean {
  return RULES[column]?.(row, now) ?? false;
}
