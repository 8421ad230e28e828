/**
 * The per-request state of one evaluation: the view compiled matchers read (context keys,
 * case-insensitive; keys AWS derives from the principal and the clock; policy variables) and what
 * the layers found. One object per evaluation, to keep allocation low.
 * @internal
 */
import { DerivedKey, keyRef, type KeyRef, type RequestView } from '../compile/request-view.js';
import { scalarText, type ContextScalar, type ContextValue } from '../conditions/context-value.js';
import type { VariableRef } from '../parse/policy-variables.js';
import type { AuthzRequest, PolicyLayer } from './request.js';
import type { EvaluationError } from './decision.js';

const PRINCIPAL_TYPE: Record<string, string> = {
  Root: 'Account',
  IAMUser: 'User',
  AssumedRole: 'AssumedRole',
  FederatedUser: 'FederatedUser',
  WebIdentityUser: 'AssumedRole',
};

/** Variable keys are few; prepare each once. */
const VARIABLE_KEYS = new WeakMap<VariableRef, KeyRef>();

/** The request being evaluated, and what evaluation found so far. */
export class RequestState implements RequestView {
  /** Condition keys referenced while evaluating and absent from the request, as written. */
  missing: string[] | undefined = undefined;
  /** Whether some Deny statement matched, and the first layer where one did. */
  denied = false;
  denyLayer: PolicyLayer | undefined = undefined;
  errors: EvaluationError[] | undefined = undefined;
  /** The strongest way the resource layer's Allow statements named the caller (a PrincipalMatch). */
  resourcePrincipalMatch = 0;

  constructor(
    readonly request: AuthzRequest,
    readonly resourceAccount: string | undefined,
    readonly hasBoundary: boolean,
  ) {}

  lookup(key: KeyRef): ContextValue | undefined {
    const ctx = this.request.context;
    let v: ContextValue | undefined = ctx[key.written];
    if (v !== undefined) {
      // A key given as JSON null (policy tests, simulator input) is absent, not the text `null`.
      return v !== null ? v : this.absent(key);
    }
    const lower = key.lower;
    for (const k in ctx) {
      if (k.length === lower.length && k.toLowerCase() === lower) return ctx[k] !== null ? ctx[k] : this.absent(key);
    }
    if (key.derived !== DerivedKey.None) v = this.derived(key);
    return v !== undefined ? v : this.absent(key);
  }

  /** Records a key the request lacks. */
  private absent(key: KeyRef): undefined {
    const missing = (this.missing ??= []);
    if (!missing.includes(key.written)) missing.push(key.written);
    return undefined;
  }

  resolveVariable(ref: VariableRef): string | undefined {
    let key = VARIABLE_KEYS.get(ref);
    if (!key) VARIABLE_KEYS.set(ref, (key = keyRef(ref.key)));
    const v = this.lookup(key);
    if (v === undefined || Array.isArray(v)) {
      // AWS: a missing or multivalued key cannot be substituted; the default applies if given.
      // Without one the policy value holding the variable is effectively null (see RequestView).
      return ref.defaultValue;
    }
    return scalarText(v as ContextScalar);
  }

  private derived(key: KeyRef): ContextValue | undefined {
    const { principal, now } = this.request;
    switch (key.derived) {
      case DerivedKey.CurrentTime:
        return now;
      case DerivedKey.EpochTime:
        return Math.floor(now.getTime() / 1000);
      case DerivedKey.PrincipalArn:
        // For a role session AWS gives the role's ARN, not the session's.
        return principal.roleArn ?? principal.arn;
      case DerivedKey.PrincipalAccount:
        return principal.accountId;
      case DerivedKey.PrincipalType:
        return principal.type ? PRINCIPAL_TYPE[principal.type] : undefined;
      case DerivedKey.Username:
        return principal.type === 'IAMUser' ? principal.userName : undefined;
      case DerivedKey.UserId:
        return principal.id;
      case DerivedKey.ResourceAccount:
        return this.resourceAccount;
      case DerivedKey.PrincipalTag: {
        const tags = principal.tags;
        if (!tags) return undefined;
        for (const k in tags) if (k.length === key.tag.length && k.toLowerCase() === key.tag) return tags[k];
        return undefined;
      }
    }
    return undefined;
  }
}
