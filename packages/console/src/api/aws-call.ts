/**
 * The console's only way to the server: the same IAM, STS and CloudTrail wire APIs every AWS client
 * uses (Query XML for IAM/STS, JSON 1.1 for CloudTrail and Castellan's own service), authenticated by the session cookie and
 * the CSRF header. Failures arrive as {@link AwsApiError} with AWS's code and message.
 */
import { xmlValue, type XmlValue } from './aws-xml.js';
import { encodeQueryParams, type QueryParam } from './query-params.js';
import { activeSession, CONSOLE_VERSION } from './session.js';
import { rememberDenial } from './denials.js';

export { encodedMessageFor, forgetDenials } from './denials.js';

export class AwsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The encoded authorization message a denial carries (`x-castellan-encoded-authorization-message`) (STS DecodeAuthorizationMessage reads it). */
    readonly encodedMessage?: string,
  ) {
    super(message);
    this.name = 'AwsApiError';
  }
}

/** Set by the app: called when the server no longer accepts the session. */
let onSessionEnded: (message: string) => void = () => {};
export function whenSessionEnds(fn: (message: string) => void): void {
  onSessionEnded = fn;
}

/** The header a denial's encoded authorization message comes in (README "DecodeAuthorizationMessage"). */
const ENCODED_MESSAGE_HEADER = 'x-castellan-encoded-authorization-message';

/** Keeps a denial's encoded message for the page showing it (denials.ts), unless the call said not to. */
function remember(error: AwsApiError, keep: boolean): AwsApiError {
  if (keep && error.encodedMessage) rememberDenial(errorText(error), error.encodedMessage);
  return error;
}

export interface CallOptions {
  /**
   * Whether a denial's encoded message is kept for "Why was this denied?" (default true). False for
   * calls made by the hundred (who-can's simulations), whose denials would push out the ones pages show.
   */
  keepDenial?: boolean;
}

/** Set by permissions.ts: called after an IAM call that may have changed something (not a read). */
let onChange: () => void = () => {};
export function afterChanges(fn: () => void): void {
  onChange = fn;
}

/** IAM and STS calls that change nothing: reads, simulations, reports. */
const READS = /^(Get|List|Simulate|Decode|Generate)/;

const SESSION_ERRORS = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'MissingAuthenticationToken']);

function headers(extra: Record<string, string>): Headers {
  const h = new Headers(extra);
  h.set('X-Castellan-CSRF', activeSession()?.csrfToken ?? '');
  h.set('X-Castellan-Console', CONSOLE_VERSION);
  return h;
}

const VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const;

/** A Query call (IAM or STS); answers the `<Action>Result` element as a value. */
export async function query(service: keyof typeof VERSIONS, action: string, params: Record<string, QueryParam> = {}, options: CallOptions = {}): Promise<Record<string, XmlValue>> {
  const res = await fetch('/', {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers({ 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }),
    body: encodeQueryParams(action, VERSIONS[service], params),
  });
  const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
  if (!res.ok) {
    const code = doc.getElementsByTagName('Code')[0]?.textContent ?? `HTTP${res.status}`;
    const message = doc.getElementsByTagName('Message')[0]?.textContent ?? res.statusText;
    const error = new AwsApiError(code, message, res.status, res.headers.get(ENCODED_MESSAGE_HEADER) ?? undefined);
    if (SESSION_ERRORS.has(code)) onSessionEnded(message);
    throw remember(error, options.keepDenial ?? true);
  }
  if (!READS.test(action)) onChange();
  const result = doc.getElementsByTagName(`${action}Result`)[0];
  return result ? (xmlValue(result) as Record<string, XmlValue>) : {};
}

/** An AWS JSON 1.1 call: the target names the service's prefix and the operation. */
async function jsonCall<T>(target: string, input: unknown): Promise<T> {
  const res = await fetch('/', {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers({ 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target }),
    body: JSON.stringify(input),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const type = String(body['__type'] ?? res.headers.get('x-amzn-errortype') ?? `HTTP${res.status}`);
    const code = type.slice(type.lastIndexOf('#') + 1).split(':')[0] ?? type;
    const message = String(body['message'] ?? body['Message'] ?? res.statusText);
    if (SESSION_ERRORS.has(code)) onSessionEnded(message);
    throw remember(new AwsApiError(code, message, res.status, res.headers.get(ENCODED_MESSAGE_HEADER) ?? undefined), true);
  }
  return body as T;
}

/** A CloudTrail call (AWS JSON 1.1). */
export function cloudTrail<T>(operation: string, input: unknown): Promise<T> {
  return jsonCall<T>(`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${operation}`, input);
}

/** A call to Castellan's own service (AWS JSON 1.1, `Castellan_20261201`; see README "The Castellan API"). */
export function castellan<T>(operation: string, input: unknown): Promise<T> {
  return jsonCall<T>(`Castellan_20261201.${operation}`, input);
}

/** An error as the page shows it: AWS's code and message. */
export function errorText(err: unknown): string {
  if (err instanceof AwsApiError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
