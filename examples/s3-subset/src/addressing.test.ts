import { describe, expect, it } from 'vitest';
import { addressingOf, hostName, normalDomain } from './addressing.js';

describe('addressingOf', () => {
  // [Host header, configured domain, what it addresses]: S3's reading of Host (its "Virtual hosting
  // of general purpose buckets" page), CNAMEs aside.
  it.each([
    // The domain itself, with or without a port: path style (ListBuckets, /bucket/key).
    ['s3.localhost:9000', 's3.localhost', { style: 'path' }],
    ['s3.localhost', 's3.localhost', { style: 'path' }],
    // A subdomain names the bucket, however the host is cased, with a final dot or not.
    ['photos.s3.localhost:9000', 's3.localhost', { style: 'virtual', bucket: 'photos' }],
    ['Photos.S3.Localhost:9000', 's3.localhost', { style: 'virtual', bucket: 'photos' }],
    ['photos.s3.localhost.', 's3.localhost', { style: 'virtual', bucket: 'photos' }],
    // A bucket name with dots: everything before the domain (S3's DOC-EXAMPLE-BUCKET1.eu example).
    ['my.photos.s3.localhost:9000', 's3.localhost', { style: 'virtual', bucket: 'my.photos' }],
    ['photos.localhost:9000', 'localhost', { style: 'virtual', bucket: 'photos' }],
    // Another host: path style as before (an address, a name the clients use for the server).
    ['127.0.0.1:9000', 's3.localhost', { style: 'path' }],
    ['[::1]:9000', 's3.localhost', { style: 'path' }],
    ['s3.example.internal:9000', 's3.localhost', { style: 'path' }],
    ['xs3.localhost:9000', 's3.localhost', { style: 'unserved', host: 'xs3.localhost:9000' }],
    [undefined, 's3.localhost', { style: 'path' }],
    // No domain configured: path style, except a subdomain of localhost, which no path-style
    // endpoint is and an SDK at http://localhost:9000 sends: refused, never read as a path.
    ['127.0.0.1:9000', undefined, { style: 'path' }],
    ['localhost:9000', undefined, { style: 'path' }],
    ['s3.example.internal', undefined, { style: 'path' }],
    ['photos.localhost:9000', undefined, { style: 'unserved', host: 'photos.localhost:9000' }],
    ['photos.s3.localhost:9000', undefined, { style: 'unserved', host: 'photos.s3.localhost:9000' }],
  ] as const)('Host %s under %s', (host, domain, expected) => {
    expect(addressingOf(host, domain)).toEqual(expected);
  });
});

describe('hostName and normalDomain', () => {
  it.each([
    ['S3.Localhost:9000', 's3.localhost'],
    ['s3.localhost.', 's3.localhost'],
    ['[::1]:9000', '[::1]'],
    ['example', 'example'],
  ])('%s is %s', (host, name) => expect(hostName(host)).toBe(name));
  it('reads a configured domain as a host: case, a leading or final dot do not matter', () => {
    expect(['s3.localhost', 'S3.LOCALHOST', '.s3.localhost', 's3.localhost.'].map(normalDomain)).toEqual(Array(4).fill('s3.localhost'));
  });
});
