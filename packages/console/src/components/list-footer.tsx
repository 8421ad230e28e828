/**
 * The ends of a listed table: the row that says the list is empty, and the button that reads the
 * next page.
 */
import type { ReactNode } from 'react';

/** A full-width row shown when `show` holds (the list is read, was not refused, and has nothing). */
export function EmptyRow({ show, columns, children }: { show: boolean; columns: number; children: ReactNode }) {
  if (!show) return null;
  return (
    <tr>
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}

/** "Load more", shown while another page exists and disabled while one is being read. */
export function LoadMore({ hasMore, busy, onMore }: { hasMore: boolean; busy: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <button type="button" onClick={onMore} disabled={busy}>
      Load more
    </button>
  );
}

/**
 * What a search covered: how many rows match when not all are drawn, and that the read stopped at
 * its bound in a longer list (entries past it were not searched).
 */
export function SearchNote({ searching, shown, total, capped, limit, plural }: { searching: boolean; shown: number; total: number; capped: boolean; limit: number; plural: string }) {
  if (!searching) return null;
  return (
    <>
      {shown < total && (
        <p role="status">
          Showing the first {shown.toLocaleString('en-US')} of {total.toLocaleString('en-US')} matches; refine the search to narrow them.
        </p>
      )}
      {capped && (
        <p role="status" className="notice">
          Searched the first {limit.toLocaleString('en-US')} {plural} only: {plural} listed after them were not searched.
        </p>
      )}
    </>
  );
}
