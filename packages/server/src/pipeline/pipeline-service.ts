/**
 * What the pipeline needs to know about a service: its name in operation specs and credential
 * scopes, its title in messages, and how CloudTrail records its events. The protocol layer's
 * service table supplies these; the pipeline keeps no list of services of its own.
 */
export interface PipelineService {
  /** The SigV4 signing name, e.g. `iam`. */
  name: string;
  /** The name in messages, e.g. `IAM`. */
  title: string;
  /** CloudTrail's `eventSource`, e.g. `iam.amazonaws.com`. */
  eventSource: string;
  /** Global services' events are recorded in `us-east-1`, whatever region the request was signed for. */
  global: boolean;
}
