import type { AwsErrorCode } from '../domain/aws-error-code.js';
import type { AwsError } from '../domain/errors.js';
import type { InboundRequest } from '../domain/ports/inbound-request.js';
import type { PipelineService } from './pipeline-service.js';

/** One HTTP request, as a protocol adapter hands it to the pipeline. */
export interface PipelineCall {
  request: InboundRequest;
  /** The services this endpoint answers (Query: iam, sts; JSON: cloudtrail). */
  services: readonly PipelineService[];
  /** The service to assume before the request names one (for errors and the audit of unauthenticated calls). */
  fallbackService: PipelineService;
  /** Headers the wire protocol requires the authentication to cover (AWS JSON: `X-Amz-Target`). */
  requiredSignedHeaders?: readonly string[];
  sourceIp: string;
  secureTransport: boolean;
  userAgent: string;
  /** The operation name as far as it can be read before decoding (`Action`, target suffix). */
  operationHint?: string;
  /**
   * Finds the operation and decodes + validates its input for `service`; throws AWS errors. Calls
   * `received` with the decoded input before validating it, so a call refused by validation is
   * audited with the parameters it sent; an input that cannot be decoded at all never reaches it.
   */
  decode(service: string, received: (operation: string, input: Record<string, unknown>) => void): { operation: string; input: Record<string, unknown> };
  /**
   * The error code CloudTrail records for a failed call of this protocol (a Query service's modeled
   * error by its exception's name, not the code on the wire; see `protocol/recorded-error-code.ts`).
   */
  recordedErrorCode(code: AwsErrorCode): string;
}

/** The result of a call: the operation's wire output or the error to put on the wire. */
export type PipelineOutcome =
  | { ok: true; requestId: string; service: string; operation: string; output: unknown }
  | { ok: false; requestId: string; service: string; operation?: string; error: AwsError };
