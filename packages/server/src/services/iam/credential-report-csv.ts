/**
 * The credential report's CSV: AWS's 22 columns in AWS's order, one row per user after the
 * `<root_account>` row, with AWS's placeholders (`N/A`, `no_information`, `not_supported`) and
 * times as AWS prints them (`2026-12-06T10:09:43+00:00`). Pure: callers gather the facts.
 *
 * @module
 */

/** The report's columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time',
  'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation',
  'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
] as const;

/** An access key or signing certificate as the report sees it. */
export interface ReportedKey {
  active: boolean;
  /** Creation (AWS: "created or last changed"). */
  lastRotated: Date;
  lastUsed?: { date: Date; region: string; service: string };
}

/** The password facts of a user; `undefined` for a user without a console password. */
export interface ReportedPassword {
  lastChanged: Date;
  /** When the password policy's `MaxPasswordAge` makes the user choose a new one. */
  nextRotation?: Date;
}

/** One row's facts. */
export interface CredentialReportEntry {
  /** `root` for the account's root user, whose password columns AWS reports as `not_supported`. */
  kind: 'root' | 'user';
  name: string;
  arn: string;
  creationTime: Date;
  password?: ReportedPassword;
  /** The last console sign-in, if one was ever recorded. */
  passwordLastUsed?: Date;
  mfaActive: boolean;
  /** In creation order; AWS's quota is two. */
  accessKeys: ReportedKey[];
  signingCertificates: ReportedKey[];
}

const NA = 'N/A';

/** `2026-12-06T10:09:43+00:00`: AWS's report time format (seconds, UTC offset). */
export function reportTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

/** The CSV text: a header line, then one line per entry, each ending with a newline. */
export function credentialReportCsv(entries: Iterable<CredentialReportEntry>): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  for (const entry of entries) lines.push(credentialReportLine(entry).map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** One row's cells, in column order. */
export function credentialReportLine(e: CredentialReportEntry): string[] {
  const root = e.kind === 'root';
  const lastUsed = e.passwordLastUsed ? reportTime(e.passwordLastUsed) : root || e.password ? 'no_information' : NA;
  const cells = [
    root ? '<root_account>' : e.name,
    e.arn,
    reportTime(e.creationTime),
    root ? 'not_supported' : String(e.password !== undefined),
    lastUsed,
    root ? 'not_supported' : e.password ? reportTime(e.password.lastChanged) : NA,
    root ? 'not_supported' : e.password?.nextRotation ? reportTime(e.password.nextRotation) : NA,
    String(e.mfaActive),
  ];
  for (const i of [0, 1]) {
    const key = e.accessKeys[i];
    cells.push(
      String(key?.active ?? false),
      key ? reportTime(key.lastRotated) : NA,
      key?.lastUsed ? reportTime(key.lastUsed.date) : NA,
      key?.lastUsed?.region ?? NA,
      key?.lastUsed?.service ?? NA,
    );
  }
  for (const i of [0, 1]) {
    const cert = e.signingCertificates[i];
    cells.push(String(cert?.active ?? false), cert ? reportTime(cert.lastRotated) : NA);
  }
  return cells;
}

// IAM's name pattern allows a comma in user names (and so in ARNs), never a quote or newline: such a cell is quoted (RFC 4180).
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
