import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** Reads a file as UTF-8 text, gunzipping it when the name ends in `.gz`. */
export function readGzipText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
}

/** A CSV file as its header and rows of raw string cells (no number parsing). */
export interface CsvTable {
  /** Column names from the first line. */
  readonly header: readonly string[];
  /** Data rows, each as raw cells. */
  readonly rows: readonly (readonly string[])[];
}

/** Reads a (gzipped) comma-separated file with a header line; cells stay strings. */
export function readCsvRows(path: string): CsvTable {
  const lines = readGzipText(path).split("\n");
  const header = (lines[0] ?? "").trim().split(",");
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (line) rows.push(line.split(","));
  }
  return { header, rows };
}

/** Reads a (gzipped) JSON-lines file into parsed values. */
export function readJsonl(path: string): unknown[] {
  return readGzipText(path)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as unknown);
}
