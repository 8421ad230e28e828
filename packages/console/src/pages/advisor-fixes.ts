/**
 * Which advisor fixes the console may apply with one click: a fix whose command is only IAM calls
 * that are safe to make for the user (set the password policy, detach a managed policy, deactivate
 * a key) and names every value (no placeholder, no "then: …" comment). Anything else is shown as
 * text only. The calls go through the normal IAM API, so they are authorized and audited.
 */
import { asList } from '../api/aws-xml.js';
import type { QueryParam } from '../api/query-params.js';
import { iamArn } from '../api/iam-arn.js';

export interface AdvisorFinding {
  CheckId: string;
  Practice: number;
  Severity: 'critical' | 'high' | 'medium' | 'low';
  Title: string;
  Entities: Array<{ Type: string; Name: string; Arn?: string }>;
  Why: string;
  Fix: { Kind: 'command' | 'policyDiff' | 'manual'; Command?: string; Description?: string; Diff?: string };
  Cis?: string;
  Prowler?: string[];
  Details?: string;
}

/** One IAM Query call. */
export interface IamCall {
  action: string;
  params: Record<string, QueryParam>;
}

/** A fix the console can apply: what the button says, and the calls (resolved when clicked). */
export interface SafeFix {
  label: string;
  calls: (query: QueryFn) => Promise<IamCall[]>;
  /** The actions and resources the calls need: the Apply button is disabled when one is denied. */
  needs: Array<{ action: string; resource: string }>;
}

/** The ARN of the finding's `type` entity `name`: the one the report gives (with its path), else a path-less one. */
function entityArn(f: AdvisorFinding, type: 'user' | 'group' | 'role', name: string): string {
  return f.Entities.find((e) => e.Type === type && e.Name === name && e.Arn)?.Arn ?? iamArn(type, name);
}

/**
 * What a call needs: its action on the user, group or role it names, by the ARN the finding gives:
 * a policy on `user/team/*` allows `user/team/bob`, not the path-less `user/bob`.
 */
function needOf(f: AdvisorFinding, call: IamCall): { action: string; resource: string } {
  const p = call.params;
  const entity = p['UserName'] !== undefined ? entityArn(f, 'user', String(p['UserName'])) : p['GroupName'] !== undefined ? entityArn(f, 'group', String(p['GroupName'])) : p['RoleName'] !== undefined ? entityArn(f, 'role', String(p['RoleName'])) : '*';
  return { action: `iam:${call.action}`, resource: entity };
}

export type QueryFn = (action: string, params: Record<string, QueryParam>) => Promise<Record<string, unknown>>;

/** Splits a POSIX shell command line into words (single and double quotes, `\` escapes), `&&` and `#` as their own words. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (; j < line.length && line[j] !== '"'; j++) text += line[j] === '\\' ? line[++j] ?? '' : line[j];
      if (j >= line.length) throw new Error('unterminated quote');
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\') word = (word ?? '') + (line[++i] ?? '');
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (word === undefined && (c === '#' || (c === '&' && line[i + 1] === '&'))) {
      words.push(c === '#' ? '#' : '&&');
      if (c === '&') i++;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `--flag value` and bare `--flag` options of one command. */
function options(args: string[]): Map<string, string | true> | undefined {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) return undefined;
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) out.set(a.slice(2), next), i++;
    else out.set(a.slice(2), true);
  }
  return out;
}

const PLACEHOLDER = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/; // KEY_ID, OLD_KEY_ID, ACCOUNT_ID …
const PASSWORD_NUMBERS: Record<string, string> = { 'minimum-password-length': 'MinimumPasswordLength', 'password-reuse-prevention': 'PasswordReusePrevention', 'max-password-age': 'MaxPasswordAge' };
const PASSWORD_FLAGS: Record<string, string> = { 'require-symbols': 'RequireSymbols', 'require-numbers': 'RequireNumbers', 'require-uppercase-characters': 'RequireUppercaseCharacters', 'require-lowercase-characters': 'RequireLowercaseCharacters', 'allow-users-to-change-password': 'AllowUsersToChangePassword', 'hard-expiry': 'HardExpiry' };

/** One `aws iam …` command as an IAM call, when it is one the console applies; else undefined. */
function safeCall(words: string[]): IamCall | undefined {
  const [aws, service, command, ...rest] = words;
  if (aws !== 'aws' || service !== 'iam' || !command) return undefined;
  const opts = options(rest);
  if (!opts || [...opts.values()].some((v) => v !== true && PLACEHOLDER.test(v))) return undefined;
  const only = (...names: string[]) => [...opts.keys()].every((k) => names.includes(k));
  const text = (name: string) => {
    const v = opts.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  if (command === 'update-account-password-policy') {
    const params: Record<string, QueryParam> = {};
    for (const [flag, value] of opts) {
      if (PASSWORD_NUMBERS[flag] && typeof value === 'string' && /^\d+$/.test(value)) params[PASSWORD_NUMBERS[flag]] = Number(value);
      else if (PASSWORD_FLAGS[flag] && value === true) params[PASSWORD_FLAGS[flag]] = true;
      else return undefined;
    }
    return { action: 'UpdateAccountPasswordPolicy', params };
  }
  for (const kind of ['user', 'group', 'role'] as const) {
    if (command === `detach-${kind}-policy` && only(`${kind}-name`, 'policy-arn') && text(`${kind}-name`) && text('policy-arn')) {
      const Kind = kind[0]!.toUpperCase() + kind.slice(1);
      return { action: `Detach${Kind}Policy`, params: { [`${Kind}Name`]: text(`${kind}-name`), PolicyArn: text('policy-arn') } };
    }
  }
  if (command === 'update-access-key' && only('user-name', 'access-key-id', 'status') && text('status') === 'Inactive' && text('access-key-id') && text('user-name')) {
    return { action: 'UpdateAccessKey', params: { UserName: text('user-name'), AccessKeyId: text('access-key-id'), Status: 'Inactive' } };
  }
  return undefined;
}

/** What one call does, for the button's label. */
export function describeCall(call: IamCall): string {
  const p = call.params;
  switch (call.action) {
    case 'UpdateAccountPasswordPolicy': {
      const terms = [
        p['MinimumPasswordLength'] !== undefined ? `at least ${String(p['MinimumPasswordLength'])} characters` : '',
        p['PasswordReusePrevention'] !== undefined ? `no reuse of the last ${String(p['PasswordReusePrevention'])}` : '',
      ].filter(Boolean);
      return `set the password policy${terms.length ? ` (${terms.join(', ')})` : ''}`;
    }
    case 'UpdateAccessKey':
      return `deactivate ${String(p['UserName'])}'s access key ${String(p['AccessKeyId'])}`;
    default: {
      const holder = String(p['UserName'] ?? p['GroupName'] ?? p['RoleName']);
      return `detach ${String(p['PolicyArn']).split('/').pop()} from ${holder}`;
    }
  }
}

/** Days since an ISO date, or Infinity when there is none. */
function daysSince(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? (now - t) / 86_400_000 : Infinity;
}

/** The unused-key finding names its slot (`access key 2 not used for 60 days`), not the key: find it when applied. */
function unusedKeyFix(f: AdvisorFinding): SafeFix | undefined {
  const slot = /^access key ([12]) not used for (\d+) days/.exec(f.Details ?? '');
  const user = f.Entities.find((e) => e.Type === 'user')?.Name;
  if (f.CheckId !== 'unused-credentials' || !slot || !user) return undefined;
  const [, n, days] = slot;
  return {
    label: `Deactivate ${user}'s unused access key ${n}`,
    needs: [{ action: 'iam:UpdateAccessKey', resource: entityArn(f, 'user', user) }],
    async calls(query) {
      const keys = asList((await query('ListAccessKeys', { UserName: user }))['AccessKeyMetadata']).sort((a, b) => String(a['CreateDate']).localeCompare(String(b['CreateDate'])));
      const now = Date.now();
      // The report's slots are the user's keys oldest first; the key must still be active and unused as reported.
      const key = keys[Number(n) - 1];
      if (!key || key['Status'] !== 'Active') throw new Error(`Access key ${n} of ${user} is no longer active; refresh the report.`);
      const last = (await query('GetAccessKeyLastUsed', { AccessKeyId: key['AccessKeyId'] }))['AccessKeyLastUsed'] as Record<string, string> | undefined;
      if (daysSince(last?.['LastUsedDate'] ?? key['CreateDate'], now) < Number(days) - 1) throw new Error(`Access key ${key['AccessKeyId']} was used since the report; refresh it.`);
      return [{ action: 'UpdateAccessKey', params: { UserName: user, AccessKeyId: key['AccessKeyId'], Status: 'Inactive' } }];
    },
  };
}

/**
 * The one-click fix of a finding, or undefined when it must be done by hand. Taking a policy or a
 * key away from `signedInUser` itself is left to a person: one click could lock them out.
 */
export function safeFix(f: AdvisorFinding, signedInUser: string): SafeFix | undefined {
  const unused = unusedKeyFix(f);
  if (unused) return f.Entities.some((e) => e.Type === 'user' && e.Name === signedInUser) ? undefined : unused;
  if (f.Fix.Kind !== 'command' || !f.Fix.Command) return undefined;
  let words: string[];
  try {
    words = shellWords(f.Fix.Command);
  } catch {
    return undefined;
  }
  if (words.includes('#')) return undefined; // a comment means a step left to a person
  const commands: string[][] = [[]];
  for (const w of words) (w === '&&' ? commands.push([]) : commands.at(-1)!.push(w));
  const calls = commands.map(safeCall);
  if (calls.length === 0 || calls.some((c) => !c)) return undefined;
  const resolved = calls as IamCall[];
  if (resolved.some((c) => c.params['UserName'] === signedInUser)) return undefined;
  const label = resolved.map(describeCall).join(', then ');
  return { label: label[0]!.toUpperCase() + label.slice(1), calls: async () => resolved, needs: resolved.map((c) => needOf(f, c)) };
}
