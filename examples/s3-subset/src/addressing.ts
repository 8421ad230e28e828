/**
 * Which bucket a request names: in its path (path style, `Host: DOMAIN`, `/bucket/key`) or in its
 * `Host` (virtual-hosted style, `Host: bucket.DOMAIN`, `/key`), as S3 reads the `Host` header (its
 * "Virtual hosting of general purpose buckets" page): a `Host` that is the service's domain is path
 * style; one that ends in `.DOMAIN` names the bucket by everything before that suffix (dots
 * included: `my.photos.DOMAIN` is the bucket `my.photos`), the whole path being the key. S3 takes
 * any other `Host` for a bucket's own name (a CNAME); the example does not, and reads it path style.
 *
 * The AWS SDK for JavaScript v3 addresses a custom endpoint virtual-hosted by default. Without a
 * configured domain the server cannot tell `bucket.example` from a host called so, but a subdomain of `localhost` is never a path-style endpoint (RFC 6761 keeps the names for
 * loopback, and an SDK pointed at `http://localhost:9000` sends `Host: bucket.localhost:9000`): one
 * that is not the configured domain nor under it is refused with an error naming the option, never
 * misread as a path.
 *
 * @module
 */

/** How a request addresses its bucket. */
export type Addressing =
  | { style: 'path' }
  | { style: 'virtual'; bucket: string }
  /** A subdomain of `localhost` that is not the configured domain nor under it: virtual-hosted, but not here. */
  | { style: 'unserved'; host: string };

/** A `Host` header's name: lower case (host names are case-insensitive), without the port or a final dot. */
export function hostName(host: string): string {
  let name = host.trim().toLowerCase();
  // An IPv6 literal keeps its colons: only what follows the closing bracket is a port.
  if (name.startsWith('[')) return name.slice(0, name.indexOf(']') + 1);
  const colon = name.lastIndexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** A configured domain as the server compares it: `S3.Localhost.` and `s3.localhost` are one. */
export function normalDomain(domain: string): string {
  return hostName(domain).replace(/^\.+/, '');
}

/**
 * How `host` (the request's `Host` header) addresses the bucket, given the server's virtual-host
 * domain (normalized with {@link normalDomain}), if it has one.
 */
export function addressingOf(host: string | undefined, domain: string | undefined): Addressing {
  if (host === undefined || host === '') return { style: 'path' };
  const name = hostName(host);
  if (domain !== undefined) {
    if (name === domain) return { style: 'path' };
    if (name.endsWith(`.${domain}`)) return { style: 'virtual', bucket: name.slice(0, -(domain.length + 1)) };
  }
  return name.endsWith('.localhost') ? { style: 'unserved', host } : { style: 'path' };
}
