/** The header a reset request must carry: a browser cannot add it to a cross-origin request without a CORS preflight, which Castellan never grants. */
export const RESET_HEADER = 'X-Castellan-Reset';

/** Host names that only a process on the same machine can address (a DNS-rebound name is not one of them). */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Why a `POST /_castellan/reset` must be refused, or undefined when it may run. A web page the
 * developer visits could otherwise wipe their ephemeral server with a cross-origin `text/plain`
 * POST: the custom header stops the simple request, the loopback `Host` stops DNS rebinding.
 */
export function resetRefusal(request: Request): string | undefined {
  if (request.headers.get(RESET_HEADER) !== '1') return `A reset needs the header ${RESET_HEADER}: 1.`;
  const host = new URL(request.url).hostname;
  if (!LOOPBACK_HOST.test(host)) return 'A reset is only accepted on a loopback address (localhost, 127.0.0.1 or [::1]).';
  return undefined;
}
