/**
 * The simulator's wire mapping: the request fields both simulations share in, EvaluationResults out.
 *
 * @module
 */
import type { ResourceResult, SimulationContextEntry, SimulationInput, SimulationPage, SimulationResult, MatchedStatement } from '../../../../services/iam/simulator.js';
import type { ContextEntry, EvaluationResult, ResourceSpecificResult, SimulateCustomPolicyRequest, SimulatePolicyResponse, Statement } from '../../../model/iam-types.js';
import { InvalidInputError } from '../../../../domain/errors.js';

/** ContextEntries in service terms; each needs a name, a type and at least one value. */
export function fromWireContextEntries(entries: readonly ContextEntry[] | undefined): SimulationContextEntry[] {
  return (entries ?? []).map((e, i) => {
    if (!e.ContextKeyName || !e.ContextKeyType || !e.ContextKeyValues) {
      throw new InvalidInputError(`ContextEntries.member.${i + 1} must have ContextKeyName, ContextKeyValues and ContextKeyType.`);
    }
    return { name: e.ContextKeyName, values: e.ContextKeyValues, type: e.ContextKeyType };
  });
}

/** The request fields SimulateCustomPolicy and SimulatePrincipalPolicy share, in service terms. */
export function fromWireSimulationInput(input: Omit<SimulateCustomPolicyRequest, 'PolicyInputList'>): SimulationInput {
  return {
    permissionsBoundaryPolicyInputList: input.PermissionsBoundaryPolicyInputList,
    actionNames: input.ActionNames,
    resourceArns: input.ResourceArns,
    resourcePolicy: input.ResourcePolicy,
    resourceOwner: input.ResourceOwner,
    resourceHandlingOption: input.ResourceHandlingOption,
    callerArn: input.CallerArn,
    contextEntries: fromWireContextEntries(input.ContextEntries),
    marker: input.Marker,
    maxItems: input.MaxItems,
  };
}

function statement(s: MatchedStatement): Statement {
  return {
    SourcePolicyId: s.sourcePolicyId,
    SourcePolicyType: s.sourcePolicyType,
    ...(s.startPosition ? { StartPosition: { Line: s.startPosition.line, Column: s.startPosition.column } } : {}),
    ...(s.endPosition ? { EndPosition: { Line: s.endPosition.line, Column: s.endPosition.column } } : {}),
  };
}

function resourceResult(r: ResourceResult): ResourceSpecificResult {
  return {
    EvalResourceName: r.resourceName,
    EvalResourceDecision: r.decision,
    MatchedStatements: r.matchedStatements.map(statement),
    MissingContextValues: r.missingContextValues,
    ...(r.allowedByPermissionsBoundary !== undefined ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: r.allowedByPermissionsBoundary } } : {}),
  };
}

function evaluationResult(r: SimulationResult): EvaluationResult {
  return {
    EvalActionName: r.actionName,
    EvalResourceName: r.resourceName,
    EvalDecision: r.decision,
    MatchedStatements: r.matchedStatements.map(statement),
    MissingContextValues: r.missingContextValues,
    ...(r.evalDecisionDetails ? { EvalDecisionDetails: r.evalDecisionDetails } : {}),
    ...(r.allowedByPermissionsBoundary !== undefined ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: r.allowedByPermissionsBoundary } } : {}),
    ...(r.resourceSpecificResults ? { ResourceSpecificResults: r.resourceSpecificResults.map(resourceResult) } : {}),
  };
}

/** SimulatePolicyResponse of a page of results. */
export function toWireSimulation(page: SimulationPage): SimulatePolicyResponse {
  return {
    EvaluationResults: page.results.map(evaluationResult),
    IsTruncated: page.isTruncated,
    ...(page.isTruncated && page.marker !== undefined ? { Marker: page.marker } : {}),
  };
}
