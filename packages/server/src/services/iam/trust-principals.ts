/**
 * IAM keeps the IAM users and roles a trust policy names by their unique ids: "When you save the
 * policy, AWS transforms the ARN to a unique principal ID … if you delete the role or user, then the
 * relationship is broken … even if you recreate the user or role", and shows the ARN again only
 * while the id still maps to one (a deleted principal shows as its id).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 *
 * So a role's stored trust policy names them by id (what sts:AssumeRole is decided with: the engine
 * matches a user's id and a role session's `ROLEID:SESSION`), and every answer that shows it maps
 * the ids back. Only `Principal`/`NotPrincipal` `AWS` values are touched, never a condition value.
 *
 * @module
 */
import type { RoleRow, Store } from '../../store/store.js';

/** A user or role ARN, with its account and (last path segment) name. */
const USER_OR_ROLE_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;
/** The unique id of a user (`AIDA…`) or role (`AROA…`). */
const USER_OR_ROLE_ID = /^A(IDA|ROA)[A-Z0-9]{12,}$/;
/** A cheap test before parsing a stored document: does it hold a quoted user or role id at all? */
const HOLDS_ID = /"A(?:IDA|ROA)[A-Z0-9]{12,}"/;

type Rename = (value: string) => Promise<string | undefined>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `text` with each `AWS` principal value that `rename` answers replaced; the text itself (its
 * formatting kept) when nothing was, or when it is not JSON.
 */
async function renameAwsPrincipals(text: string, rename: Rename): Promise<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isObject(doc)) return text;
  const statements = Array.isArray(doc['Statement']) ? doc['Statement'] : [doc['Statement']];
  let changed = false;
  for (const statement of statements) {
    if (!isObject(statement)) continue;
    for (const element of ['Principal', 'NotPrincipal']) {
      const spec = statement[element];
      if (!isObject(spec)) continue;
      const values = spec['AWS'];
      if (typeof values === 'string') {
        const renamed = await rename(values);
        if (renamed !== undefined) {
          spec['AWS'] = renamed;
          changed = true;
        }
      } else if (Array.isArray(values)) {
        for (let i = 0; i < values.length; i++) {
          const value: unknown = values[i];
          const renamed = typeof value === 'string' ? await rename(value) : undefined;
          if (renamed !== undefined) {
            values[i] = renamed;
            changed = true;
          }
        }
      }
    }
  }
  return changed ? JSON.stringify(doc) : text;
}

/**
 * The trust policy to store: each existing IAM user or role it names by ARN named by its unique id
 * instead (the caller has checked that they exist).
 */
export function pinTrustPrincipals(store: Store, document: string): Promise<string> {
  return renameAwsPrincipals(document, async (value) => {
    const m = USER_OR_ROLE_ARN.exec(value);
    if (!m) return undefined;
    const [, accountId, kind, name] = m as unknown as [string, string, string, string];
    const row = kind === 'user' ? await store.getUserByName(accountId, name) : await store.getRoleByName(accountId, name);
    return row !== undefined && row.arn === value ? row.id : undefined;
  });
}

/** A stored trust policy as IAM shows it: the ids of users and roles that still exist as their ARNs. */
export async function showTrustPrincipals(store: Store, document: string): Promise<string> {
  if (!HOLDS_ID.test(document)) return document;
  return renameAwsPrincipals(document, async (value) => {
    const m = USER_OR_ROLE_ID.exec(value);
    if (!m) return undefined;
    const row = m[1] === 'IDA' ? await store.getUserById(value) : await store.getRoleById(value);
    return row?.arn;
  });
}

/** `role` with its trust policy as IAM shows it. */
export async function withShownTrust(store: Store, role: RoleRow): Promise<RoleRow> {
  const shown = await showTrustPrincipals(store, role.assumeRolePolicyDocument);
  return shown === role.assumeRolePolicyDocument ? role : { ...role, assumeRolePolicyDocument: shown };
}
