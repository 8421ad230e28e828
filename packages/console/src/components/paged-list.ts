import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { query } from '../api/aws-call.js';
import type { QueryParam } from '../api/query-params.js';
import { nextSearchPage, SEARCH_READ_LIMIT } from './list-search.js';

/** The largest `MaxItems` IAM's list calls accept: a search reads the rest of the list in pages this big. */
const SEARCH_PAGE_SIZE = 1000;

/**
 * An IAM list call read page by page (`MaxItems`, `Marker`, `IsTruncated`), as AWS pages it: the
 * first page on load, the next on `more()`. While `searching` (the page filters by name, which IAM's
 * list calls cannot), further pages are read past the loaded ones, up to `searchLimit` entries in all
 * (AWS managed policies are 1,594, the first page 50; an account of 100,000 users is not read whole:
 * `searchCapped` says the search stopped short). Those search pages are kept apart: when the search is
 * cleared the list is again the pages the user loaded, with "Load more"; a later search reuses them.
 */
export function usePagedList(
  action: string,
  key: string,
  params: Record<string, QueryParam> = {},
  { pageSize = 50, searching = false, searchLimit = SEARCH_READ_LIMIT } = {},
) {
  const [items, setItems] = useState<Array<Record<string, string>>>([]);
  const [marker, setMarker] = useState<string>();
  // The search's own pages, read after `items`: appended in place (not copied per page), `tailRead` re-renders.
  const tail = useRef<Array<Record<string, string>>>([]);
  const [tailMarker, setTailMarker] = useState<string | undefined | null>(null); // null: no search page read yet
  const [tailRead, setTailRead] = useState(0);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  // A page asked for under earlier parameters (say, before the owner filter changed) is dropped when it arrives.
  const generation = useRef(0);
  const paramsKey = JSON.stringify(params);
  const dropTail = () => {
    tail.current = [];
    setTailMarker(null);
    setTailRead(0);
  };
  const call = useCallback(
    (size: number, from?: string) => query('iam', action, { ...(JSON.parse(paramsKey) as Record<string, QueryParam>), MaxItems: size, ...(from ? { Marker: from } : {}) }),
    [action, paramsKey],
  );
  const fetchPage = useCallback(
    async (from?: string) => {
      // A fresh first page or one more page of the paged view: search pages read before no longer follow on.
      if (!from) generation.current++;
      const mine = generation.current;
      dropTail();
      setLoading(true);
      try {
        const r = await call(pageSize, from);
        if (mine !== generation.current) return;
        const page = asList(r[key]);
        setItems((old) => (from ? [...old, ...page] : page));
        setMarker(r['IsTruncated'] === 'true' ? String(r['Marker']) : undefined);
        setError('');
      } catch (e) {
        if (mine === generation.current) setError(errorText(e));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [call, key, pageSize],
  );
  const fetchSearchPage = useCallback(
    async (from: string, size: number) => {
      const mine = generation.current;
      setLoading(true);
      try {
        const r = await call(size, from);
        if (mine !== generation.current) return;
        for (const item of asList(r[key])) tail.current.push(item);
        setTailMarker(r['IsTruncated'] === 'true' ? String(r['Marker']) : undefined);
        setTailRead(tail.current.length);
        setError('');
      } catch (e) {
        if (mine === generation.current) setError(errorText(e));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [call, key],
  );
  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);
  const searchFrom = tailMarker === null ? marker : tailMarker;
  const nextSize = searching ? nextSearchPage(items.length + tailRead, searchFrom, searchLimit, SEARCH_PAGE_SIZE) : 0;
  useEffect(() => {
    if (nextSize > 0 && searchFrom !== undefined && !loading && !error) void fetchSearchPage(searchFrom, nextSize);
  }, [nextSize, searchFrom, loading, error, fetchSearchPage]);
  return {
    /** The loaded pages, plus (while searching) the pages the search read after them. */
    items: searching && tailRead > 0 ? items.concat(tail.current) : items,
    error,
    /** True while a page is being read, including the further pages of a search. */
    loading: loading || (nextSize > 0 && !error),
    /** Whether the search stopped at `searchLimit` entries with more in the list. */
    searchCapped: searching && nextSize === 0 && searchFrom !== undefined,
    searchLimit,
    /** "Load more" belongs to the paged view: a search reads for itself. */
    hasMore: !searching && marker !== undefined,
    more: () => void fetchPage(marker),
    reload: () => void fetchPage(),
  };
}
