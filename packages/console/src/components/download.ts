/** Offers `text` as a file download (a Blob URL: nothing leaves the browser). */
export function download(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * RFC 4180 CSV: every field quoted when it needs to be. A field a spreadsheet would read as a
 * formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: a User-Agent or a user name
 * such as `=1+2` in the trail) gets a leading `'`, as OWASP's CSV injection guidance says, so it
 * opens as text.
 *
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const field = (value: string) => {
    const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  };
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
