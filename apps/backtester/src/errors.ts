/** Stable codes for what went wrong in a backtest run. */
export type BacktestErrorCode =
  | "file-not-found"
  | "file-unreadable"
  | "bad-header"
  | "malformed-row"
  | "unsorted"
  | "duplicate-time"
  | "empty-data"
  | "bad-argument"
  | "unknown-strategy"
  | "bad-parameter"
  | "bad-output"
  | "write-failed"
  | "download-failed";

/**
 * The one error class of the backtester. Bad input (files, rows, arguments, `--out`) carries a
 * code, the file and line where known, and maps to exit code 2 in the CLI; `write-failed` (the
 * output could not be written, such as a full disk) and `download-failed` (`download` could not get
 * the candles: network, server errors, a broken answer) map to 1. Either prints one line, no stack.
 */
export class BacktestError extends Error {
  override readonly name = "BacktestError";
  /** What went wrong. */
  readonly code: BacktestErrorCode;
  /** The file involved, if any. */
  readonly file: string | undefined;
  /** 1-based line number in `file`, if the problem is a row. */
  readonly line: number | undefined;

  constructor(
    code: BacktestErrorCode,
    message: string,
    options: { file?: string; line?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.line = options.line;
  }
}
