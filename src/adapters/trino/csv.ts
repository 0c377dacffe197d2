// A small RFC 4180 CSV reader for seeds (Trino cannot read a local file, so tsdbt reads it and sends the rows):
// quoted fields with "" escapes and embedded newlines, CRLF or LF line ends, a leading BOM, any one-character
// delimiter. Every value is returned as text; the seed loader types the columns.

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function parseCsv(text: string, delimiter = ','): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let touched = false; // the record has at least one delimiter or character, so an empty last field counts
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (touched) records.push(record);
    record = [];
    touched = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      touched = true;
    } else if (c === delimiter) {
      touched = true;
      endField();
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      touched = true;
      field += c;
    }
    i++;
  }
  endRecord();
  const [header = [], ...rows] = records;
  return { header, rows };
}
