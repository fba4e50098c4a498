import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from './csv.ts';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and says where each record starts', () => {
    const text =
      'sourceId,title,body\r\n' +
      'A1,"Budgets, open","He said ""hello""\r\nand left"\r\n' +
      'A2,Plain,"two\nlines\nhere"\n' +
      '\n' +
      'A3,,last';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['sourceId', 'title', 'body'] },
      { line: 2, fields: ['A1', 'Budgets, open', 'He said "hello"\r\nand left'] },
      { line: 4, fields: ['A2', 'Plain', 'two\nlines\nhere'] },
      { line: 8, fields: ['A3', '', 'last'] },
    ]);
  });

  it('skips a byte-order mark and keeps empty quoted fields', () => {
    expect(parseCsv('\uFEFFa,b\n"",x\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['', 'x'] },
    ]);
  });

  it('refuses an unclosed quote and a stray quote, naming the line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(new CsvError(2, 'a quoted field is not closed'));
    expect(() => parseCsv('a,b\n1,x"y\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a,b\n1,"x"y\n')).toThrow(/line 2: a closing quote/);
  });

  it('writes what it reads back the same', () => {
    const rows = [
      ['id', 'text'],
      ['1', 'comma, "quote"\nand a line'],
      ['2', 'plain'],
    ];
    expect(parseCsv(toCsv(rows)).map((r) => r.fields)).toEqual(rows);
  });
});
