// The terminal face of a diff: the verdict, the alert before and after, then one line per identifier ×
// destination with its status and change.

import { createColors } from "picocolors";
import type { DiffReport, DiffRow, DiffStatus } from "../app/diff.ts";
import { oneLine } from "./one-line.ts";
import { levelPaint } from "./text-report.ts";

const MARK: Record<DiffStatus, string> = { added: "+", removed: "-", changed: "~", unchanged: "=" };

/** The whole diff as text. */
export function renderDiffText(d: DiffReport, o: { color: boolean }): string {
  const c = createColors(o.color);
  const lvl = (l: DiffReport["before"]["alert"]["level"]) => levelPaint(l, c)(l.toUpperCase());
  const out = [
    c.bold(oneLine(d.verdict)),
    `Alert: ${lvl(d.before.alert.level)} → ${lvl(d.after.alert.level)}`,
    "",
  ];
  if (d.rows.length > 0) out.push(c.bold("Identifier × destination"));
  for (const r of d.rows) out.push(`  ${rowLine(r, c)}`);
  if (d.endpoints.added.length > 0)
    out.push("", `New destinations: ${d.endpoints.added.map(oneLine).join(", ")}`);
  if (d.endpoints.removed.length > 0)
    out.push(`Destinations no longer contacted: ${d.endpoints.removed.map(oneLine).join(", ")}`);
  return out.join("\n");
}

function rowLine(r: DiffRow, c: ReturnType<typeof createColors>): string {
  const paint =
    r.status === "added"
      ? c.red
      : r.status === "removed"
        ? c.green
        : r.status === "changed"
          ? c.yellow
          : c.dim;
  const side = r.after ?? r.before;
  const where = [r.host, r.company, side?.countries.join("/")]
    .filter((x) => x)
    .map((x) => oneLine(String(x)));
  const t = side?.transports.join("/") ?? "";
  const change = r.change ? `  (${oneLine(r.change)})` : "";
  return `${paint(`${MARK[r.status]} ${r.status.padEnd(9)}`)} ${oneLine(r.label)} → ${where.join(" · ")} · ${t}${change}`;
}
