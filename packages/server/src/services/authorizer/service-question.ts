/**
 * What a service may ask and assert about its client's request, checked the same way by the
 * `AuthorizeRequest` operation and by the in-process check (`@castellan/authorizer-client`):
 * the actions are its own service's (`s3:` for a request signed for `s3`), and an event it records
 * is under its own event source. Each check answers the refusal's text, or `undefined`.
 *
 * @module
 */

/**
 * The first requested action that is not of `service` (`s3:GetObject` for `s3`): a service asks
 * about what its own requests do, never what its client may do elsewhere (IAM, another service).
 * Action prefixes are case-insensitive, as IAM's are.
 */
export function refusedServiceAction(actions: Iterable<string>, service: string): string | undefined {
  const prefix = `${service.toLowerCase()}:`;
  for (const action of actions) {
    if (action.length <= prefix.length || action.slice(0, prefix.length).toLowerCase() !== prefix) {
      return `Authorizations: Action '${action}' is not of the signing service: a service asks only about its own actions ('${prefix}…')`;
    }
  }
  return undefined;
}

/**
 * An event the service may not record: one under another service's event source. Its own calls
 * may be data or management events (S3's CreateBucket is a management event in CloudTrail); which
 * trails get it is bounded apart.
 */
export function refusedServiceEvent(event: { eventSource?: string | undefined }, service: string): string | undefined {
  const source = `${service}.amazonaws.com`;
  if (event.eventSource !== undefined && event.eventSource !== source) {
    return `Event: EventSource '${event.eventSource}' is not the service's own: a service records events of its signing service only ('${source}', the default)`;
  }
  return undefined;
}
