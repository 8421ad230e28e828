import type { AwsErrorCode } from '../../domain/aws-error-code.js';
import type { AwsError } from '../../domain/errors.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { PipelineCall, PipelineOutcome } from '../../pipeline/pipeline-call.js';
import type { PeerFacts, ProtocolAdapter, WireAnswer } from '../protocol-adapter.js';
import { SERVICE_TABLE, servicesSpeaking, type ServiceEntry } from '../service-table.js';
import { readQueryParams } from './read-query-params.js';
import { decodeQueryCall, resolveQueryOperation } from './resolve-query-call.js';
import { serializeQueryError } from './serialize-query-error.js';
import { encodedAuthorizationHeader } from '../encoded-authorization-header.js';
import { serializeQueryResponse } from './serialize-query-output.js';
import { recordedQueryErrorCode } from '../recorded-error-code.js';

/**
 * The AWS Query protocol (IAM, STS): form parameters in, XML out. Which service a request is for
 * comes from its credential scope; before that is known, `Version` tells STS from IAM.
 */
export class QueryAdapter implements ProtocolAdapter {
  readonly unreadableService: ServiceEntry = SERVICE_TABLE.iam;
  readonly #services = servicesSpeaking('query');

  /** Everything that is not another protocol's is a Query request. */
  accepts(): boolean {
    return true;
  }

  readCall(request: InboundRequest, peer: PeerFacts): PipelineCall {
    const params = readQueryParams(request.query, request.body, request.header('content-type'));
    const action = params.get('Action');
    return {
      request,
      ...peer,
      services: this.#services,
      fallbackService: params.get('Version') === SERVICE_TABLE.sts.model.apiVersion ? SERVICE_TABLE.sts : SERVICE_TABLE.iam,
      ...(action ? { operationHint: action } : {}),
      decode: (service, received) => {
        const { model } = this.#entry(service);
        const op = resolveQueryOperation(model, params);
        return { operation: op.name, input: decodeQueryCall(model, op, params, (input) => received(op.name, input)).input };
      },
      recordedErrorCode: (code) => this.recordedErrorCode(code),
    };
  }

  writeOutcome(outcome: PipelineOutcome): WireAnswer {
    const { model } = this.#entry(outcome.service);
    if (!outcome.ok) return this.#error(model.xmlNamespace, outcome.error, outcome.requestId);
    const xml = serializeQueryResponse(model, outcome.operation, outcome.output, outcome.requestId);
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': outcome.requestId }, body: xml };
  }

  writeError(error: AwsError, requestId: string): WireAnswer {
    return this.#error(this.unreadableService.model.xmlNamespace, error, requestId);
  }

  /** Query clients see the domain's codes as they are (`NoSuchEntity`); CloudTrail records a modeled one by its exception's name (`NoSuchEntityException`). */
  recordedErrorCode(code: AwsErrorCode): string {
    return recordedQueryErrorCode(code);
  }

  #entry(service: string): ServiceEntry {
    return this.#services.find((s) => s.name === service) ?? this.unreadableService;
  }

  #error(xmlNamespace: string | undefined, error: AwsError, requestId: string): WireAnswer {
    const { status, body } = serializeQueryError(xmlNamespace ?? SERVICE_TABLE.iam.model.xmlNamespace!, error.code, error.message, requestId);
    return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...encodedAuthorizationHeader(error) }, body };
  }
}
