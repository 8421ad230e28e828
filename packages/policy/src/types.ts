/**
 * The policy language's public types: policy kinds, diagnostics and the parsed (normalized) AST.
 * Policy JSON keeps AWS's spelling; the AST uses camelCase names for its own fields.
 */

/** Where a policy is attached, which decides which elements it may or must contain. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'scp' | 'session';

/** Size limits in AWS's words: characters without whitespace where AWS counts that way. */
export type PolicySizeClass = 'managed' | 'userInline' | 'groupInline' | 'roleInline' | 'trust' | 'session' | 'none';

/** A diagnostic code a caller can map to AWS's error codes. */
export type DiagnosticCode =
  | 'MalformedPolicyDocument'
  | 'LimitExceeded'
  | 'UnknownService'
  | 'UnknownAction'
  | 'UnknownConditionKey'
  | 'ConditionKeyWithoutService'
  | 'EmptyCondition'
  | 'PolicyVariableIgnored';

/** One problem found in a policy document. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Where in the document: `Statement[2].Condition.StringEqual`. Empty for the whole document. */
  path: string;
  /** Lowercase start, no final period, user input in backticks. */
  message: string;
  code: DiagnosticCode | string;
  /** 1-based line/column of the element, when the document was given as text. */
  position?: SourcePosition;
}

/** A 1-based line and column in the policy text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The first and last character of an element in the policy text (AWS's StartPosition/EndPosition). */
export interface SourceSpan {
  start: SourcePosition;
  end: SourcePosition;
}

/** The outcome of {@link parsePolicy}: a policy plus warnings, or every error found. */
export type ParseResult =
  | { ok: true; policy: Policy; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** A parsed, validated policy. Immutable. */
export interface Policy {
  readonly kind: PolicyKind;
  /** `2012-10-17`, `2008-10-17`, or undefined when the document has no Version (AWS then uses 2008-10-17). */
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly Statement[];
}

/** One statement, normalized: single values become arrays, Condition becomes a flat list. */
export interface Statement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  /** Absent in a resource policy statement means "the resource the policy is attached to". */
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly conditions: readonly ConditionClause[];
  readonly span?: SourceSpan;
}

/** The Principal or NotPrincipal element. `wildcard` is the bare `"*"` form. */
export interface PrincipalSpec {
  readonly wildcard: boolean;
  /** Account ids are normalized to `arn:<partition>:iam::<account>:root`; `*` is kept. */
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

/** The names of AWS's condition operators, without qualifier and `IfExists`. */
export type ConditionOperatorName =
  | 'StringEquals' | 'StringNotEquals' | 'StringEqualsIgnoreCase' | 'StringNotEqualsIgnoreCase'
  | 'StringLike' | 'StringNotLike'
  | 'NumericEquals' | 'NumericNotEquals' | 'NumericLessThan' | 'NumericLessThanEquals'
  | 'NumericGreaterThan' | 'NumericGreaterThanEquals'
  | 'DateEquals' | 'DateNotEquals' | 'DateLessThan' | 'DateLessThanEquals'
  | 'DateGreaterThan' | 'DateGreaterThanEquals'
  | 'Bool' | 'BinaryEquals' | 'IpAddress' | 'NotIpAddress'
  | 'ArnEquals' | 'ArnLike' | 'ArnNotEquals' | 'ArnNotLike'
  | 'Null';

/** One `operator: { key: values }` pair of a Condition block. */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  readonly base: ConditionOperatorName;
  readonly qualifier?: 'ForAllValues' | 'ForAnyValue';
  readonly ifExists: boolean;
  /** The condition key as written (keys are matched case-insensitively). */
  readonly key: string;
  /** Values as strings (JSON numbers and booleans are turned into their text). */
  readonly values: readonly string[];
}
