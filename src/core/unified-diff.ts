/**
 * A unified diff of two line lists (what `diff -u` prints), for showing an edit before it is made
 * (`openevc vmx apply --dry-run`). Lines compare with their line break, so a changed line ending
 * shows; a CRLF line is printed with its carriage return and a last line without a break is
 * followed by `\ No newline at end of file`, as diff does, so `patch` applies the result.
 *
 * The edit script comes from Myers' greedy algorithm (shortest edit script, O((N+M)·D)): the
 * edits openevc makes touch a handful of lines, so D is small.
 */

export interface DiffLine {
  readonly text: string;
  /** The line break after the line: '' for a last line without one. */
  readonly eol: string;
}

type Op = { readonly kind: '=' | '-' | '+'; readonly a: number; readonly b: number };

const same = (x: DiffLine, y: DiffLine) => x.text === y.text && x.eol === y.eol;

/** The shortest edit script turning `a` into `b`: kept (`=`), removed (`-`) and added (`+`) lines in order. */
export function diffOps(a: readonly DiffLine[], b: readonly DiffLine[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && same(a[x]!, b[y]!)) {
        x++;
        y++;
      }
      next[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  // Walk back through the recorded frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const pv = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && pv[off + k - 1]! < pv[off + k + 1]!);
    const pk = down ? k + 1 : k - 1;
    const px = pv[off + pk]!;
    const py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) ops.push({ kind: '=', a: --x, b: --y });
    if (down) ops.push({ kind: '+', a: x, b: --y });
    else ops.push({ kind: '-', a: --x, b: y });
  }
  while (x > 0 && y > 0) ops.push({ kind: '=', a: --x, b: --y });
  return ops.reverse();
}

export interface UnifiedDiffOptions {
  readonly from: string;
  readonly to: string;
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
}

/** The unified diff, or '' when the two are the same. */
export function unifiedDiff(a: readonly DiffLine[], b: readonly DiffLine[], opts: UnifiedDiffOptions): string {
  const ops = diffOps(a, b);
  const ctx = opts.context ?? 3;
  const changed = ops.map((o, i) => (o.kind === '=' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context overlaps into hunks of op indices [start, end).
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const start = Math.max(0, i - ctx);
    const end = Math.min(ops.length, i + ctx + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const out = [`--- ${opts.from}`, `+++ ${opts.to}`];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end);
    const aLines = slice.filter((o) => o.kind !== '+');
    const bLines = slice.filter((o) => o.kind !== '-');
    // Where the hunk starts in each file (1-based; a hunk with no lines of a file names the line before it).
    const aStart = aLines.length > 0 ? aLines[0]!.a + 1 : slice[0]!.a;
    const bStart = bLines.length > 0 ? bLines[0]!.b + 1 : slice[0]!.b;
    out.push(`@@ -${range(aStart, aLines.length)} +${range(bStart, bLines.length)} @@`);
    for (const o of slice) {
      const line = o.kind === '+' ? b[o.b]! : a[o.a]!;
      // A CRLF line keeps its carriage return, as diff prints it, so that patch can apply the result.
      out.push(`${o.kind === '=' ? ' ' : o.kind}${line.text}${line.eol === '\r\n' ? '\r' : ''}`);
      if (line.eol === '') out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
