import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type Decision, toJsonLine } from "@gpt/kernel";
import type { RunResult } from "../run.js";
import { renderReportHtml } from "./html.js";

/** Files written by `writeRunOutputs`. */
export interface WrittenFiles {
  readonly stats: string;
  readonly trades: string;
  readonly equity: string;
  readonly report: string;
  readonly decisions: string;
}

/** The files `run` writes into its `--out` folder. */
export const RUN_OUTPUT_FILES: readonly string[] = [
  "stats.json",
  "trades.csv",
  "equity.csv",
  "report.html",
  "decisions.jsonl",
];

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes `stats.json`, `trades.csv`, `equity.csv` (the thinned curve), `decisions.jsonl` (the
 * kernel's decision events) and the self-contained `report.html` into `dir` (created if needed).
 */
export function writeRunOutputs(
  dir: string,
  result: RunResult,
  meta: { title: string; generatedAt: string },
): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = {
    stats: join(dir, "stats.json"),
    trades: join(dir, "trades.csv"),
    equity: join(dir, "equity.csv"),
    report: join(dir, "report.html"),
    decisions: join(dir, "decisions.jsonl"),
  };
  writeFileSync(files.stats, `${JSON.stringify(result.stats, null, 2)}\n`);
  const tradeRows = result.trades.map((t) =>
    [
      t.instrument,
      t.side,
      new Date(t.entryTime).toISOString(),
      new Date(t.exitTime).toISOString(),
      t.entryPrice,
      t.exitPrice,
      t.quantity,
      t.pnl,
      t.fees,
    ]
      .map(csvCell)
      .join(","),
  );
  writeFileSync(
    files.trades,
    `instrument,side,entry_time,exit_time,entry_price,exit_price,quantity,pnl,fees\n${tradeRows.join("\n")}${tradeRows.length > 0 ? "\n" : ""}`,
  );
  const equityRows = result.equity.times.map(
    (t, i) => `${new Date(t).toISOString()},${result.equity.values[i]}`,
  );
  writeFileSync(files.equity, `time,equity\n${equityRows.join("\n")}\n`);
  writeDecisions(files.decisions, result.decisions);
  writeFileSync(
    files.report,
    renderReportHtml({
      title: meta.title,
      generatedAt: meta.generatedAt,
      settings: result.settings,
      stats: result.stats,
      equity: result.equity,
      instruments: result.instruments,
      monthly: result.monthly,
      trades: result.trades.slice(0, 2000),
      tradesTotal: result.trades.length,
      gaps: result.gaps,
    }),
  );
  return files;
}

/** Writes decision events as JSON lines in blocks of about 1 MB (never one string of them all). */
function writeDecisions(path: string, decisions: readonly Decision[]): void {
  const fd = openSync(path, "w");
  try {
    let block = "";
    for (const decision of decisions) {
      block += `${toJsonLine(decision)}\n`;
      if (block.length >= 1 << 20) {
        writeSync(fd, block);
        block = "";
      }
    }
    if (block.length > 0) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}
