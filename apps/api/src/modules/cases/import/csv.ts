/**
 * A small RFC 4180 reader: records of fields separated by commas, ended by CRLF or LF; a field in
 * double quotes may hold commas, line breaks and doubled quotes (`""` is one `"`). A byte-order mark
 * at the start is skipped. Each record says the physical line it starts on (1-based), so an import
 * can name the line of a row it rejects even when an earlier field spans several lines.
 */

export interface CsvRecord {
  /** The physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const opened = line;
        i += 1;
        for (;;) {
          if (i >= n) throw new CsvError(opened, 'a quoted field is not closed');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          if (ch === '\n') line += 1;
          value += ch;
          i += 1;
        }
        const next = text[i];
        if (i < n && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvError(line, 'a closing quote must be followed by a comma or the end of the line');
        }
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') throw new CsvError(line, 'a quote inside an unquoted field (quote the whole field)');
          i += 1;
        }
        value = text.slice(from, i);
      }
      fields.push(value);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      // The end of the record: CRLF, LF, a lone CR, or the end of the text.
      if (text[i] === '\r') i += 1;
      if (text[i] === '\n') i += 1;
      line += 1;
      break;
    }
    // A blank line (one empty field) is not a record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}

/** One field as CSV: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records as CSV text (CRLF line ends, as RFC 4180 says). */
export function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
