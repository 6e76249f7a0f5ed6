/**
 * Spreadsheets (.xlsx) into text cells, for importers that read workbooks (RVTools). exceljs is
 * loaded only when a workbook is met, so other commands do not pay for it.
 */
import { NotADumpError } from '../core/errors.js';
import type { Workbook } from '../formats/reader-types.js';

/** A zip archive's local-file-header signature: how every .xlsx starts. */
export function looksLikeXlsx(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
  }
  return String(v);
}

/** Reads an .xlsx into sheets of text rows (row i of a sheet is spreadsheet row i + 1). */
export async function readWorkbook(bytes: Uint8Array, file: string): Promise<Workbook> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new NotADumpError({ file }, `a readable .xlsx workbook (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  return {
    sheets: wb.worksheets.map((ws) => {
      const rows: string[][] = [];
      ws.eachRow({ includeEmpty: true }, (row, n) => {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        rows[n - 1] = values.map(cellText);
      });
      for (let i = 0; i < rows.length; i++) rows[i] ??= [];
      return { name: ws.name, rows };
    }),
  };
}
