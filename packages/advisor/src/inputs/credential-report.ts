/**
 * The IAM credential report (`aws iam get-credential-report`): the JSON response with its
 * base64 `Content`, or the decoded CSV.
 */

/** One row of the report. Dates are ISO 8601 text; undefined stands for `N/A`, `no_information` or `not_supported`. */
export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  readonly isRoot: boolean;
  readonly userCreationTime?: string;
  readonly passwordEnabled: boolean;
  readonly passwordLastUsed?: string;
  readonly passwordLastChanged?: string;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly AccessKeyColumns[];
}

/** The report's `access_key_N_*` columns for N = 1, 2. */
export interface AccessKeyColumns {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated?: string;
  readonly lastUsed?: string;
  readonly lastUsedService?: string;
}

export interface CredentialReport {
  readonly generatedTime?: string;
  readonly rows: readonly CredentialReportRow[];
}

export const ROOT_USER = '<root_account>';

const ABSENT = new Set(['', 'n/a', 'no_information', 'not_supported']);
const value = (v: string | undefined): string | undefined => (v === undefined || ABSENT.has(v.toLowerCase()) ? undefined : v);
const bool = (v: string | undefined): boolean => v?.toLowerCase() === 'true';

/** Splits CSV text into rows (quoted fields with `""` escapes are handled). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** Reads the CSV; undefined when the text is not a credential report. */
export function readCredentialReportCsv(text: string, generatedTime?: string): CredentialReport | undefined {
  const [header, ...data] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header || header[0] !== 'user' || header[1] !== 'arn') return undefined;
  const col = (row: string[], name: string): string | undefined => {
    const i = header.indexOf(name);
    return i >= 0 ? row[i] : undefined;
  };
  const rows = data.map((r): CredentialReportRow => {
    const user = col(r, 'user') ?? '';
    const keys = ([1, 2] as const).map((slot): AccessKeyColumns => {
      const lastRotated = value(col(r, `access_key_${slot}_last_rotated`));
      const lastUsed = value(col(r, `access_key_${slot}_last_used_date`));
      const lastUsedService = value(col(r, `access_key_${slot}_last_used_service`));
      return {
        slot,
        active: bool(col(r, `access_key_${slot}_active`)),
        ...(lastRotated ? { lastRotated } : {}),
        ...(lastUsed ? { lastUsed } : {}),
        ...(lastUsedService ? { lastUsedService } : {}),
      };
    });
    const created = value(col(r, 'user_creation_time'));
    const pwUsed = value(col(r, 'password_last_used'));
    const pwChanged = value(col(r, 'password_last_changed'));
    return {
      user,
      arn: col(r, 'arn') ?? '',
      isRoot: user === ROOT_USER,
      ...(created ? { userCreationTime: created } : {}),
      passwordEnabled: bool(col(r, 'password_enabled')),
      ...(pwUsed ? { passwordLastUsed: pwUsed } : {}),
      ...(pwChanged ? { passwordLastChanged: pwChanged } : {}),
      mfaActive: bool(col(r, 'mfa_active')),
      accessKeys: keys,
    };
  });
  return { ...(generatedTime ? { generatedTime } : {}), rows };
}

/** Reads the `get-credential-report` JSON response (base64 CSV in `Content`). */
export function readCredentialReportResponse(value: unknown): CredentialReport | undefined {
  if (typeof value !== 'object' || value === null || typeof (value as { Content?: unknown }).Content !== 'string') return undefined;
  const { Content, GeneratedTime } = value as { Content: string; GeneratedTime?: unknown };
  let csv: string;
  try {
    csv = new TextDecoder().decode(Uint8Array.from(atob(Content.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  return readCredentialReportCsv(csv, typeof GeneratedTime === 'string' ? GeneratedTime : undefined);
}
