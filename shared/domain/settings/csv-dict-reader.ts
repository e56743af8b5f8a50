/**
 * Python's `csv.DictReader(open(file))` with the default (excel) dialect, as SPA reads its CSV account lists, with the
 * line and column of every cell. Pure: text in, rows out; never throws.
 *
 * Hand-written rather than csv-parse because csv-parse cannot replicate Python's non-strict reader: a quote in the
 * middle of an unquoted field is kept (`a"b`), characters after a closing quote are appended (`"ab"c` is `abc`), an
 * unterminated quote runs to the end of the file and still yields its row, and csv-parse reports positions per record
 * only, not per cell. The state machine below follows CPython's `_csv.c` (`parse_process_char`, `Reader_iternext`)
 * and `csv.DictReader.__next__` state by state.
 *
 * SPA opens the file with `open(file)`, i.e. universal newlines: `\r\n` and a lone `\r` reach the csv module as `\n`
 * (also inside quoted fields). Lines and columns are 1-based; columns count code points.
 */

/** Python's `csv.field_size_limit()` default. */
export const CSV_FIELD_LIMIT = 131072;

export interface CsvCell {
  /** The cell's value as Python's csv module returns it (quotes removed, doubled quotes undone). */
  readonly text: string;
  /** Position of the cell's first character (its opening quote, when quoted). */
  readonly line: number;
  readonly column: number;
}

export interface CsvRecord {
  readonly cells: readonly CsvCell[];
  /** Where the record starts. */
  readonly line: number;
  readonly column: number;
  /** Just past the record's last character (where a missing cell would be). */
  readonly endLine: number;
  readonly endColumn: number;
}

export interface CsvNotice {
  readonly kind: 'stray-quote' | 'unterminated-quote';
  readonly line: number;
  readonly column: number;
  /** A stray quote right after the spaces that start the cell (`a, "b"`): the usual cause. */
  readonly afterSpace?: boolean;
}

export interface CsvFailure {
  /** `field larger than field limit (131072)`: Python raises `_csv.Error` and SPA stops. */
  readonly kind: 'field-too-large';
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** One value of a DictReader row: `name` is null for the extra cells of a row longer than the header. */
export interface DictField {
  readonly name: string | null;
  /** The header cell naming this field (undefined for the extra cells). */
  readonly header: CsvCell | undefined;
  /** A string, the list of extra cells (name null), or null for a cell missing from a short row (`restval`). */
  readonly value: string | readonly string[] | null;
  /** The cell holding the value (the first extra cell for name null; undefined when the value is missing). */
  readonly cell: CsvCell | undefined;
}

export interface DictRow {
  /** Fields in Python's dict order: one per distinct header name (the last duplicate's value), then null if any. */
  readonly fields: readonly DictField[];
  readonly record: CsvRecord;
}

export interface DictReaderResult {
  /** The header row (`fieldnames`); undefined for an empty file, empty for a blank first line. */
  readonly header: readonly CsvCell[] | undefined;
  readonly rows: readonly DictRow[];
  readonly notices: readonly CsvNotice[];
  /** Set when Python's reader raises: the rows before it were read. */
  readonly failure?: CsvFailure;
}

/** The states of CPython's reader (`ParserState` in `_csv.c`). */
const State = {
  StartRecord: 0,
  StartField: 1,
  InField: 2,
  InQuotedField: 3,
  QuoteInQuotedField: 4,
  EatCrnl: 5,
} as const;
type State = (typeof State)[keyof typeof State];

/** `list(csv.reader(open(file)))`, records with positions (a blank line gives a record with no cells). */
export function readCsvRecords(
  text: string,
  maxRecords = Number.POSITIVE_INFINITY,
  /** False: every line through the state machine (tests compare both ways). */
  simpleLines = true,
): { records: CsvRecord[]; notices: CsvNotice[]; failure?: CsvFailure; truncated: boolean } {
  const records: CsvRecord[] = [];
  const notices: CsvNotice[] = [];
  let state: State = State.StartRecord as State;
  let cells: CsvCell[] = [];
  // The field's text so far is `fieldHead` + text[runStart, runEnd): characters taken straight from the text extend
  // the run, so a field is one slice of the text instead of a string grown character by character.
  let fieldHead = '';
  let runStart = 0;
  let runEnd = 0;
  /** Where the character given to processChar is in the text (-1 for the '\n' standing for any line break). */
  let charAt = -1;
  let fieldLength = 0;
  let fieldLine = 1;
  let fieldColumn = 1;
  let recordLine = 1;
  let recordColumn = 1;
  let quoteLine = 1;
  let quoteColumn = 1;
  let line = 1;
  let column = 1;
  let tooLarge = false;

  const fieldText = (): string => (runEnd > runStart ? fieldHead + text.slice(runStart, runEnd) : fieldHead);
  const saveField = (): void => {
    cells.push({ text: fieldText(), line: fieldLine, column: fieldColumn });
    fieldHead = '';
    runStart = runEnd = 0;
    fieldLength = 0;
  };
  const addChar = (c: string): void => {
    if (fieldLength >= CSV_FIELD_LIMIT) tooLarge = true;
    if (charAt >= 0 && (charAt === runEnd || runEnd === runStart)) {
      if (runEnd === runStart) runStart = charAt;
      runEnd = charAt + c.length;
    } else {
      fieldHead = fieldText() + c;
      runStart = runEnd = 0;
    }
    fieldLength += 1;
  };
  /** CPython `parse_process_char` for one character ('\n' for any line break). */
  const processChar = (c: string): void => {
    if (state === State.StartRecord) {
      recordLine = line;
      recordColumn = column;
      if (c === '\n') {
        state = State.EatCrnl;
        return;
      }
      state = State.StartField;
    }
    switch (state) {
      case State.StartField:
        fieldLine = line;
        fieldColumn = column;
        if (c === '\n') {
          saveField();
          state = State.EatCrnl;
        } else if (c === '"') {
          quoteLine = line;
          quoteColumn = column;
          state = State.InQuotedField;
        } else if (c === ',') saveField();
        else {
          addChar(c);
          state = State.InField;
        }
        return;
      case State.InField:
        if (c === '\n') {
          saveField();
          state = State.EatCrnl;
        } else if (c === ',') {
          saveField();
          state = State.StartField;
        } else {
          if (c === '"') notices.push({ kind: 'stray-quote', line, column, afterSpace: fieldText().trim() === '' });
          addChar(c);
        }
        return;
      case State.InQuotedField:
        if (c === '"') state = State.QuoteInQuotedField;
        else addChar(c);
        return;
      case State.QuoteInQuotedField:
        if (c === '"') {
          addChar(c);
          state = State.InQuotedField;
        } else if (c === ',') {
          saveField();
          state = State.StartField;
        } else if (c === '\n') {
          saveField();
          state = State.EatCrnl;
        } else {
          notices.push({ kind: 'stray-quote', line, column });
          addChar(c);
          state = State.InField;
        }
        return;
      default:
        // EatCrnl: with universal newlines nothing follows a line break on the same line
        return;
    }
  };
  /** CPython `parse_process_char(EOL)`. */
  const processEol = (): void => {
    switch (state) {
      case State.StartField:
        fieldLine = line;
        fieldColumn = column;
        saveField();
        state = State.StartRecord;
        return;
      case State.InField:
      case State.QuoteInQuotedField:
        saveField();
        state = State.StartRecord;
        return;
      case State.EatCrnl:
        state = State.StartRecord;
        return;
      default:
        return;
    }
  };

  const n = text.length;
  // where the next line feed, carriage return and double quote are (-1: none left), found by indexOf, not per character
  let nextLf = text.indexOf('\n');
  let nextCr = text.indexOf('\r');
  let nextQuote = text.indexOf('"');
  const surrogates = /[\ud800-\udfff]/.test(text);
  let pos = 0;
  while (pos < n) {
    if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
    if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
    const lineEnd = nextLf === -1 ? (nextCr === -1 ? n : nextCr) : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
    const hasBreak = lineEnd < n;
    const next = hasBreak ? (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1) : n;
    if (
      simpleLines &&
      state === State.StartRecord &&
      lineEnd > pos &&
      lineEnd - pos < CSV_FIELD_LIMIT &&
      (nextQuote === -1 || nextQuote >= lineEnd) &&
      (!surrogates || !/[\ud800-\udfff]/.test(text.slice(pos, lineEnd)))
    ) {
      // A whole record on one line without quotes or surrogate pairs: what the state machine would do, cell by cell
      // at each comma, columns being offsets (the common line of a CSV list, taken without a call per character).
      let cellColumn = 1;
      for (const cell of text.slice(pos, lineEnd).split(',')) {
        cells.push({ text: cell, line, column: cellColumn });
        cellColumn += cell.length + 1;
      }
      records.push({ cells, line, column: 1, endLine: line, endColumn: lineEnd - pos + 1 });
      cells = [];
      if (records.length > maxRecords) return { records, notices, truncated: true };
      if (hasBreak) line += 1;
      column = hasBreak ? 1 : lineEnd - pos + 1;
      pos = next;
      continue;
    }
    for (let i = pos; i < lineEnd; ) {
      const code = text.charCodeAt(i);
      const width = code >= 0xd800 && code <= 0xdbff && i + 1 < lineEnd ? 2 : 1;
      charAt = i;
      processChar(width === 1 ? (text[i] ?? '') : text.slice(i, i + 2));
      if (tooLarge) return { records, notices, truncated: false, failure: { kind: 'field-too-large', line: fieldLine, column: fieldColumn, message: `field larger than field limit (${CSV_FIELD_LIMIT})` } };
      column += 1;
      i += width;
    }
    const endLine = line;
    const endColumn = column;
    if (hasBreak) {
      charAt = -1;
      processChar('\n');
      if (tooLarge) return { records, notices, truncated: false, failure: { kind: 'field-too-large', line: fieldLine, column: fieldColumn, message: `field larger than field limit (${CSV_FIELD_LIMIT})` } };
    }
    processEol();
    if (state === State.StartRecord) {
      records.push({ cells, line: recordLine, column: recordColumn, endLine, endColumn });
      cells = [];
      if (records.length > maxRecords) return { records, notices, truncated: true };
    }
    if (hasBreak) {
      line += 1;
      column = 1;
    }
    pos = next;
  }
  if ((state as State) === State.InQuotedField) {
    // Reader_iternext at the end of input, non-strict: the unterminated quoted field still makes a row
    notices.push({ kind: 'unterminated-quote', line: quoteLine, column: quoteColumn });
    saveField();
    records.push({ cells, line: recordLine, column: recordColumn, endLine: line, endColumn: column });
  }
  return { records, notices, truncated: false };
}

/** `csv.DictReader(open(file))`: header from the first record, blank records skipped, short rows padded with None. */
export function dictReader(
  text: string,
  maxRows = Number.POSITIVE_INFINITY,
  /** False: no shortcut for simple lines and distinct header names (tests compare both ways). */
  shortcuts = true,
): DictReaderResult & { truncated: boolean } {
  const { records, notices, failure, truncated } = readCsvRecords(text, maxRows + 1, shortcuts);
  const first = records[0];
  if (first === undefined) return failure ? { header: undefined, rows: [], notices, failure, truncated } : { header: undefined, rows: [], notices, truncated };
  const header = first.cells;
  const distinct = shortcuts && new Set(header.map((cell) => cell.text)).size === header.length;
  const rows: DictRow[] = [];
  for (let r = 1; r < records.length; r += 1) {
    const record = records[r];
    if (record === undefined || record.cells.length === 0) continue;
    rows.push({ record, fields: distinct ? toDictDistinct(header, record) : toDict(header, record) });
  }
  return failure ? { header, rows, notices, failure, truncated } : { header, rows, notices, truncated };
}

/** toDict for a header whose names are all different: one field per header cell, in order, then the extra cells. */
function toDictDistinct(header: readonly CsvCell[], record: CsvRecord): DictField[] {
  const fields: DictField[] = [];
  const cells = record.cells;
  for (let k = 0; k < header.length; k += 1) {
    const h = header[k] as CsvCell;
    const cell = cells[k];
    fields.push(cell === undefined ? { name: h.text, header: h, value: null, cell: undefined } : { name: h.text, header: h, value: cell.text, cell });
  }
  if (header.length < cells.length) {
    const extra = cells.slice(header.length);
    fields.push({ name: null, header: undefined, value: extra.map((c) => c.text), cell: extra[0] });
  }
  return fields;
}

/** `dict(zip(fieldnames, row))` plus `restkey` (None) / `restval` (None), in Python's dict order. */
function toDict(header: readonly CsvCell[], record: CsvRecord): DictField[] {
  const byName = new Map<string, { header: CsvCell; value: string | null; cell: CsvCell | undefined }>();
  const lr = record.cells.length;
  const lf = header.length;
  for (let k = 0; k < Math.min(lf, lr); k += 1) {
    const h = header[k];
    const cell = record.cells[k];
    if (h === undefined || cell === undefined) continue;
    const existing = byName.get(h.text);
    if (existing) {
      existing.value = cell.text;
      existing.cell = cell;
    } else byName.set(h.text, { header: h, value: cell.text, cell });
  }
  const fields: DictField[] = [];
  if (lf > lr) {
    for (let k = lr; k < lf; k += 1) {
      const h = header[k];
      if (h === undefined) continue;
      const existing = byName.get(h.text);
      if (existing) {
        existing.value = null;
        existing.cell = undefined;
      } else byName.set(h.text, { header: h, value: null, cell: undefined });
    }
  }
  for (const [name, f] of byName) fields.push({ name, header: f.header, value: f.value, cell: f.cell });
  if (lf < lr) {
    const extra = record.cells.slice(lf);
    fields.push({ name: null, header: undefined, value: extra.map((c) => c.text), cell: extra[0] });
  }
  return fields;
}
