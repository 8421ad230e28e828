import { describe, expect, it } from 'vitest';
import { toCsv } from './download.js';

describe('toCsv', () => {
  it.each([
    ['plain', 'alice', 'alice'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'a\nb', '"a\nb"'],
    // OWASP CSV injection: a cell a spreadsheet would run as a formula opens as text.
    ['a DDE formula (a chosen User-Agent)', "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['a user name starting with =', '=1+2', "'=1+2"],
    ['a leading +', '+1', "'+1"],
    ['a leading -', '-2+3', "'-2+3"],
    ['a leading @', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading carriage return', '\r=1', `"'\r=1"`],
    ['a formula that also needs quoting', '=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['a sign inside the text', 'a=b-c', 'a=b-c'],
  ])('%s', (_name, value, cell) => {
    expect(toCsv([[value, 'x']])).toBe(`${cell},x\r\n`);
  });
});
