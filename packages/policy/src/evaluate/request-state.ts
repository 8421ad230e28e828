/**
 * The per-request view that compiled matchers read: context keys (case-insensitive), keys AWS
 * derives from the principal and the clock, and policy variables. Records missing keys.
 * @internal
 */
import type { RequestView } from '../compile/request-view.js';
import { scalarText, type ContextScalar, type ContextValue } from '../conditions/context-value.js';
import type { VariableRef } from '../parse/policy-variables.js';
import type { AuthzRequest } from './request.js';

const PRINCIPAL_TYPE: Record<string, string> = {
  Root: 'Account',
  IAMUser: 'User',
  AssumedRole: 'AssumedRole',
  FederatedUser: 'FederatedUser',
  WebIdentityUser: 'AssumedRole',
};

/** The request being evaluated, as compiled matchers see it. */
export class RequestState implements RequestView {
  /** Set when a policy variable could not be resolved; the statement being evaluated then does not match. */
  unresolved = false;
  /** Condition keys referenced while evaluating and absent from the request (lowercased, as written first). */
  missing: string[] | undefined;

  constructor(
    readonly request: AuthzRequest,
    readonly resourceAccount: string | undefined,
  ) {}

  lookup(keyLower: string, keyAsWritten: string): ContextValue | undefined {
    const ctx = this.request.context;
    let v: ContextValue | undefined = ctx[keyAsWritten];
    if (v === undefined) {
      for (const k in ctx) {
        if (k.length === keyLower.length && k.toLowerCase() === keyLower) {
          v = ctx[k];
          break;
        }
      }
      if (v === undefined) v = this.derived(keyLower);
      if (v === undefined) {
        (this.missing ??= []).includes(keyAsWritten) || this.missing.push(keyAsWritten);
      }
    }
    return v;
  }

  resolveVariable(ref: VariableRef): string | undefined {
    const v = this.lookup(ref.keyLower, ref.key);
    if (v === undefined || Array.isArray(v)) {
      // AWS: a missing or multivalued key cannot be substituted; the default applies if given.
      if (ref.defaultValue !== undefined) return ref.defaultValue;
      this.unresolved = true;
      return undefined;
    }
    return scalarText(v as ContextScalar);
  }

  /** Keys AWS fills in from the principal, the resource and the clock. */
  private derived(keyLower: string): ContextValue | undefined {
    const { principal, now } = this.request;
    if (!keyLower.startsWith('aws:')) return undefined;
    switch (keyLower) {
      case 'aws:currenttime':
        return now;
      case 'aws:epochtime':
        return Math.floor(now.getTime() / 1000);
      case 'aws:principalarn':
        return principal.roleArn ?? principal.arn;
      case 'aws:principalaccount':
        return principal.accountId;
      case 'aws:principaltype':
        return principal.type ? PRINCIPAL_TYPE[principal.type] : undefined;
      case 'aws:username':
        return principal.type === 'IAMUser' ? principal.userName : undefined;
      case 'aws:userid':
        return principal.id;
      case 'aws:resourceaccount':
        return this.resourceAccount;
    }
    if (keyLower.startsWith('aws:principaltag/') && principal.tags) {
      const tagKey = keyLower.slice('aws:principaltag/'.length);
      for (const k in principal.tags) if (k.toLowerCase() === tagKey) return principal.tags[k];
    }
    return undefined;
  }
}
