import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../api/aws-call.js';
import { asList } from '../api/aws-xml.js';
import { query } from '../api/aws-call.js';
import type { QueryParam } from '../api/query-params.js';

/**
 * An IAM list call read page by page (`MaxItems`, `Marker`, `IsTruncated`), as AWS pages it: the
 * first page on load, the next on `more()`.
 */
export function usePagedList(action: string, key: string, params: Record<string, QueryParam> = {}, pageSize = 50) {
  const [items, setItems] = useState<Array<Record<string, string>>>([]);
  const [marker, setMarker] = useState<string>();
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const paramsKey = JSON.stringify(params);
  const fetchPage = useCallback(
    async (from?: string) => {
      setLoading(true);
      try {
        const r = await query('iam', action, { ...(JSON.parse(paramsKey) as Record<string, QueryParam>), MaxItems: pageSize, ...(from ? { Marker: from } : {}) });
        const page = asList(r[key]);
        setItems((old) => (from ? [...old, ...page] : page));
        setMarker(r['IsTruncated'] === 'true' ? String(r['Marker']) : undefined);
        setError('');
      } catch (e) {
        setError(errorText(e));
      } finally {
        setLoading(false);
      }
    },
    [action, key, paramsKey, pageSize],
  );
  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);
  return { items, error, loading, hasMore: marker !== undefined, more: () => void fetchPage(marker), reload: () => void fetchPage() };
}
