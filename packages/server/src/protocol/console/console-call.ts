/**
 * The console's own calls (security key registration) as pipeline calls: JSON the console route
 * has already read, attributed to IAM (`iam.amazonaws.com` in the trail), authenticated by the
 * session cookie like every console call, then authorized and audited by the same pipeline.
 *
 * @module
 */
import type { AwsErrorCode } from '../../domain/aws-error-code.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { PipelineCall } from '../../pipeline/pipeline-call.js';
import type { PeerFacts } from '../protocol-adapter.js';
import { SERVICE_TABLE } from '../service-table.js';
import { recordedQueryErrorCode } from '../recorded-error-code.js';

/** A pipeline call of `operation` with `params` (what its audit event records as the request). */
export function consoleCall(request: InboundRequest, peer: PeerFacts, operation: string, params: Record<string, unknown>): PipelineCall {
  return {
    request,
    ...peer,
    services: [SERVICE_TABLE.iam],
    fallbackService: SERVICE_TABLE.iam,
    operationHint: operation,
    decode: (_service, received) => {
      received(operation, params);
      return { operation, input: params };
    },
    recordedErrorCode: (code: AwsErrorCode) => recordedQueryErrorCode(code),
  };
}
