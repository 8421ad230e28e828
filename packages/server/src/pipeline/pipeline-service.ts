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

/**
 * The region of a global service's requests, whatever region they were signed for: AWS serves IAM
 * from us-east-1, so its calls have `aws:RequestedRegion` `us-east-1`, are last used there, and
 * their events are recorded there.
 */
export const GLOBAL_SERVICE_REGION = 'us-east-1';

/**
 * The region a call to `service` is served in (its `aws:RequestedRegion`): {@link GLOBAL_SERVICE_REGION}
 * for a global service, whatever region the request names, else `region`. The pipeline decides every
 * call with it, and castellan:GetCallerPermissions each action it is asked about (an unknown service
 * counts as regional).
 */
export function servedRegion(service: Pick<PipelineService, 'global'> | undefined, region: string): string {
  return service?.global ? GLOBAL_SERVICE_REGION : region;
}
