// The check's rows as a plain-text table (long cells wrapped at word boundaries), or as JSON.
import type { Row } from "./rows";

const WIDTHS = { detail: 48, fix: 40 } as const;

/** `text` in lines of at most `width` characters, split at spaces (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  if (text === "") return [""];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

export function renderTable(rows: readonly Row[]): string {
  const probeWidth = Math.max(5, ...rows.map((r) => r.probe.length));
  const resultWidth = Math.max(6, ...rows.map((r) => r.result.length));
  const columns = [probeWidth, resultWidth, WIDTHS.detail, WIDTHS.fix];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(columns[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const out = [line(["probe", "result", "detail", "fix"]), line(columns.map((w) => "-".repeat(w)))];
  for (const row of rows) {
    const detail = wrap(row.detail, WIDTHS.detail);
    const fix = wrap(row.fix, WIDTHS.fix);
    for (let i = 0; i < Math.max(detail.length, fix.length); i++) {
      out.push(line([i === 0 ? row.probe : "", i === 0 ? row.result : "", detail[i] ?? "", fix[i] ?? ""]));
    }
  }
  out.push("", summary(rows));
  return out.join("\n");
}

export function summary(rows: readonly Row[]): string {
  const count = (result: Row["result"]) => rows.filter((r) => r.result === result).length;
  const failed = count("failed");
  const counts = `${count("ok")} ok, ${failed} failed, ${count("skipped")} skipped`;
  return failed === 0
    ? `${counts}: ready for \`pulumi up\`. Nothing was ordered, paid or unsubscribed.`
    : `${counts}: fix the failed rows before the first paid \`pulumi up\`. Nothing was ordered, paid or unsubscribed.`;
}

export function renderJson(rows: readonly Row[]): string {
  return JSON.stringify({ ok: rows.every((r) => r.result !== "failed"), rows }, null, 2);
}
