import type { AwsErrorCode } from '../../domain/aws-error-code.js';
import type { AwsError } from '../../domain/errors.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { PipelineCall, PipelineOutcome } from '../../pipeline/pipeline-call.js';
import type { PeerFacts, ProtocolAdapter, WireAnswer } from '../protocol-adapter.js';
import { SERVICE_TABLE, servicesSpeaking, type ServiceEntry } from '../service-table.js';
import { AMZ_JSON_1_1, decodeJsonCall, resolveJsonOperation } from './resolve-json-call.js';
import { JSON_ERROR_CODES, serializeJsonError } from './serialize-json-error.js';
import { serializeJsonOutput } from './serialize-json-output.js';
import { encodedAuthorizationHeader } from '../encoded-authorization-header.js';

/** The header that names a JSON call's operation; AWS requires the signature to cover it. */
const TARGET_HEADER = 'X-Amz-Target';

/**
 * AWS JSON 1.1 (CloudTrail): the operation in `X-Amz-Target`, a JSON body in and out. The target
 * header must be among the SigV4 signed headers, as AWS requires, so it cannot be changed in flight.
 */
export class JsonAdapter implements ProtocolAdapter {
  readonly unreadableService: ServiceEntry = SERVICE_TABLE.cloudtrail;
  readonly #services = servicesSpeaking('json');

  accepts(request: Pick<InboundRequest, 'header'>): boolean {
    return request.header(TARGET_HEADER.toLowerCase()) !== undefined;
  }

  readCall(request: InboundRequest, peer: PeerFacts): PipelineCall {
    const target = request.header(TARGET_HEADER.toLowerCase()) ?? '';
    return {
      request,
      ...peer,
      services: this.#services,
      // Before the signature names the service, the target's prefix does (a refused unsigned call
      // to castellan is recorded as castellan's); the signature's scope still decides once read.
      fallbackService: this.#serviceOfTarget(target),
      requiredSignedHeaders: [TARGET_HEADER],
      operationHint: target.slice(target.lastIndexOf('.') + 1),
      decode: (service, received) => {
        const { model } = this.#entry(service);
        const op = resolveJsonOperation(model, target);
        return { operation: op.name, input: decodeJsonCall(model, op, request.body, (input) => received(op.name, input)) };
      },
      recordedErrorCode: (code) => this.recordedErrorCode(code),
    };
  }

  writeOutcome(outcome: PipelineOutcome): WireAnswer {
    if (!outcome.ok) return this.#writeError(outcome.error, outcome.requestId, this.#entry(outcome.service));
    const { model } = this.#entry(outcome.service);
    return { status: 200, headers: { 'content-type': AMZ_JSON_1_1, 'x-amzn-requestid': outcome.requestId }, body: serializeJsonOutput(model, outcome.operation, outcome.output) };
  }

  /** An error before the service is known (refused or unreadable requests): as the fallback service's. */
  writeError(error: AwsError, requestId: string): WireAnswer {
    return this.#writeError(error, requestId, this.unreadableService);
  }

  #writeError(error: AwsError, requestId: string, service: ServiceEntry): WireAnswer {
    const { status, code, body } = serializeJsonError(error.code, error.message, service.model);
    return { status, headers: { 'content-type': AMZ_JSON_1_1, 'x-amzn-requestid': requestId, 'x-amzn-errortype': code, ...encodedAuthorizationHeader(error) }, body };
  }

  /** Recorded as JSON clients see it: `AccessDeniedException` where a Query service has `AccessDenied`, and so on. */
  recordedErrorCode(code: AwsErrorCode): string {
    return JSON_ERROR_CODES[code] ?? code;
  }

  #serviceOfTarget(target: string): ServiceEntry {
    const prefix = target.slice(0, Math.max(0, target.lastIndexOf('.')));
    return this.#services.find((s) => {
      const full = s.model.targetPrefix ?? '';
      return prefix !== '' && (prefix === full || prefix === full.slice(full.lastIndexOf('.') + 1));
    }) ?? this.unreadableService;
  }

  #entry(service: string): ServiceEntry {
    return this.#services.find((s) => s.name === service) ?? this.unreadableService;
  }
}
