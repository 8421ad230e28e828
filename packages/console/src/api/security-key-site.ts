/**
 * Where a security key can be used. WebAuthn takes the page's host name as the relying party id,
 * and browsers refuse an IP address there ("127.0.0.1 is an invalid domain"): a console opened at
 * `http://127.0.0.1:PORT/console/` cannot register or use a key, though everything else works.
 * The console says so before any ceremony starts (so no CreateVirtualMFADevice is made for an
 * attempt that cannot work), and names the address that works.
 *
 * @see https://www.w3.org/TR/webauthn-2/#relying-party-identifier
 */

/** The part of `window.location` this needs. */
export interface PageLocation {
  protocol: string;
  hostname: string;
  port: string;
  pathname: string;
  hash: string;
}

/** The characters a security key's name may have (the server's `deviceName` rule, IAM's MFA device name). */
export const SECURITY_KEY_NAME = /^[\w+=,.@-]{1,128}$/;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why a security key cannot be used at `location`, and where it can; undefined when it can. */
export function securityKeySiteProblem(location: PageLocation): string | undefined {
  const host = location.hostname;
  const ip = IPV4.test(host) || host.includes(':') || host.startsWith('[');
  if (!ip) return undefined;
  const loopback = /^127\./.test(host) || host === '[::1]' || host === '::1';
  const where = loopback
    ? `Open the console at ${location.protocol}//localhost${location.port ? `:${location.port}` : ''}${location.pathname}${location.hash} and sign in there to use one.`
    : 'Open the console at the server\'s domain name and sign in there to use one.';
  return `Security keys need the console at a domain name: browsers refuse an IP address such as ${host} for WebAuthn. ${where}`;
}
