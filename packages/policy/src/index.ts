/**
 * @castellan/policy: the AWS IAM policy language. Parse and validate JSON policies, compile them
 * once, evaluate requests with AWS's logic, and explain the decisions. Pure and synchronous.
 * @module
 */
export type {
  PolicyKind,
  PolicySizeClass,
  Diagnostic,
  DiagnosticCode,
  SourcePosition,
  SourceSpan,
  ParseResult,
  Policy,
  Statement,
  PrincipalSpec,
  ConditionClause,
  ConditionOperatorName,
} from './types.js';
export { parsePolicy, type ParseOptions } from './parse/parse-policy.js';
export type { ServiceCatalog } from './parse/service-catalog.js';
export { POLICY_SIZE_LIMITS, policySize } from './parse/size-limits.js';
export { compilePolicy, type CompiledPolicy, type PolicyRef, type StatementRef } from './compile/compile-policy.js';
export type { ContextValue, ContextScalar } from './conditions/context-value.js';
/** How the Numeric* and Date* operators read a value: callers that take typed values (the simulator's ContextEntries) check them alike. */
export { parseNumber, parseDate } from './conditions/context-value.js';
export { evaluate } from './evaluate/evaluate.js';
export { preparePolicySet, type PreparedPolicySet } from './evaluate/prepared-policy-set.js';
export type { AuthzRequest, RequestPrincipal, RequestPrincipalType, PolicySet, PolicyLayer } from './evaluate/request.js';
export type { Decision, DecisionReason, EvaluationError } from './evaluate/decision.js';
export { explain, accessDeniedMessage, describeStatement } from './evaluate/explain.js';
export { CONDITION_OPERATOR_NAMES } from './conditions/operator-names.js';
export { readJson, type JsonNode, type JsonEntry, type JsonReadResult } from './parse/json-reader.js';
export { statementsGrantingService } from './evaluate/service-access.js';
