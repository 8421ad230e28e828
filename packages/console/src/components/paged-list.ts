import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { query } from '../api/aws-call.js';
import type { QueryParam } from '../api/query-params.js';

/** The largest `MaxItems` IAM's list calls accept: a search reads the rest of the list in pages this big. */
const SEARCH_PAGE_SIZE = 1000;

/**
 * An IAM list call read page by page (`MaxItems`, `Marker`, `IsTruncated`), as AWS pages it: the
 * first page on load, the next on `more()`. While `searching` (the page filters by name, which IAM's
 * list calls cannot), every remaining page is read, so that a search covers the whole list and not
 * only the pages loaded so far (AWS managed policies are 1,594, the first page 50).
 */
export function usePagedList(action: string, key: string, params: Record<string, QueryParam> = {}, { pageSize = 50, searching = false } = {}) {
  const [items, setItems] = useState<Array<Record<string, string>>>([]);
  const [marker, setMarker] = useState<string>();
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  // A page asked for under earlier parameters (say, before the owner filter changed) is dropped when it arrives.
  const generation = useRef(0);
  const paramsKey = JSON.stringify(params);
  const fetchPage = useCallback(
    async (from?: string, size = pageSize) => {
      if (!from) generation.current++;
      const mine = generation.current;
      setLoading(true);
      try {
        const r = await query('iam', action, { ...(JSON.parse(paramsKey) as Record<string, QueryParam>), MaxItems: size, ...(from ? { Marker: from } : {}) });
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
    [action, key, paramsKey, pageSize],
  );
  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);
  useEffect(() => {
    if (searching && marker !== undefined && !loading && !error) void fetchPage(marker, SEARCH_PAGE_SIZE);
  }, [searching, marker, loading, error, fetchPage]);
  return {
    items,
    error,
    /** True while a page is being read, including the rest of the list during a search. */
    loading: loading || (searching && marker !== undefined && !error),
    hasMore: marker !== undefined,
    more: () => void fetchPage(marker),
    reload: () => void fetchPage(),
  };
}
