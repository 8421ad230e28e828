import type { AwsErrorCode } from '../domain/aws-error-code.js';
import type { AwsError } from '../domain/errors.js';
import type { InboundRequest } from '../domain/ports/inbound-request.js';
import type { PipelineCall, PipelineOutcome } from '../pipeline/pipeline-call.js';
import type { ServiceEntry } from './service-table.js';

/** What the HTTP layer knows about the connection a request came on. */
export interface PeerFacts {
  /** The caller's address (`aws:SourceIp`), after trusted proxies. */
  sourceIp: string;
  /** True when the request came over TLS (`aws:SecureTransport`). */
  secureTransport: boolean;
  userAgent: string;
}

/**
 * An HTTP answer as plain data: the Node listener writes it with one `writeHead` + `end`, the
 * fetch path wraps it in a `Response`. Building a web `Response` per call cost more than the writing.
 */
export interface WireAnswer {
  status: number;
  /** Lower-case names; `content-length` is left to the writer. */
  headers: Record<string, string>;
  body: string;
}

/**
 * One AWS wire protocol: it reads a request into a {@link PipelineCall} and writes the pipeline's
 * outcome (a result or an error) back on the wire. The HTTP layer only picks the adapter; a new
 * protocol (the credential endpoints' REST/JSON, the console API) is a new adapter.
 */
export interface ProtocolAdapter {
  /** Whether a request is for this protocol, judged from its headers alone (the body is not read yet). */
  accepts(request: Pick<InboundRequest, 'header'>): boolean;
  /** The service a request that cannot be read (e.g. a body over the limit) is recorded and answered as. */
  readonly unreadableService: ServiceEntry;
  /** Reads a call from a request whose body has been read. Never throws: decoding errors surface through `decode`. */
  readCall(request: InboundRequest, peer: PeerFacts): PipelineCall;
  /** The HTTP answer for an outcome of the pipeline. */
  writeOutcome(outcome: PipelineOutcome): WireAnswer;
  /** The HTTP answer for an error outside the pipeline (unreadable request, unhandled failure). */
  writeError(error: AwsError, requestId: string): WireAnswer;
  /**
   * The error code CloudTrail records for a failed call of this protocol, which is not always what
   * the client saw: a Query service's modeled error is recorded by its exception's name
   * (`NoSuchEntityException` for the wire's `NoSuchEntity`); a JSON service's by its JSON spelling.
   */
  recordedErrorCode(code: AwsErrorCode): string;
}
