/** One page of a listing, AWS-style: `marker` is set exactly when `isTruncated` is true. */
export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  /** Pass back as `marker` to get the next page. */
  marker?: string;
}

/** Paging arguments of every list method. */
export interface PageRequest {
  /** The `marker` of the previous page; absent for the first page. */
  marker?: string;
  /** The page size. Default is `100`. */
  maxItems?: number;
}

/** Paging plus AWS's `PathPrefix` filter (a plain string prefix of the entity's path). */
export interface PathPageRequest extends PageRequest {
  /** Only entities whose path starts with this string. Default is `/` (everything). */
  pathPrefix?: string;
}
