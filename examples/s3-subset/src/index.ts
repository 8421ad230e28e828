/**
 * The worked example of Castellan in front of another service: an S3 subset on local disk.
 *
 * @module
 */
export { startS3Server, type S3Server, type S3ServerOptions } from './s3-server.js';
export { BucketStore, type Bucket, type ObjectMeta } from './bucket-store.js';
