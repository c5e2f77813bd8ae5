/**
 * One output file written atomically: the rows go to a file in a temporary folder beside the target
 * (gzip-compressed when the target ends in `.gz`), and `commit` renames it into place, replacing
 * any previous file in one step. A failed download, or one stopped by a signal (the CLI's handler
 * calls `process.exit`, which runs this module's `exit` listener), removes the temporary folder and
 * leaves the previous file as it was.
 */
import {
  createWriteStream,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { systemReason } from "../data/files.js";
import { BacktestError } from "../errors.js";

function badOut(out: string, why: string, cause?: unknown): BacktestError {
  return new BacktestError("bad-output", `--out ${out}: ${why}`, {
    file: out,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** An output file being written. */
export class OutputFile {
  private readonly sink: Writable;
  private readonly file: ReturnType<typeof createWriteStream>;
  private readonly tempFile: string;
  private readonly cleanUp = (): void => {
    rmSync(this.tempDir, { recursive: true, force: true });
  };
  private buffered: string[] = [];
  private bufferedBytes = 0;
  /** The first error of the file or the gzip stream (a full disk), thrown by the next write. */
  private failure: { readonly error: unknown } | undefined;

  private constructor(
    /** The file the output ends up in (symbolic links resolved). */
    readonly target: string,
    private readonly tempDir: string,
    private readonly out: string,
  ) {
    this.tempFile = join(tempDir, basename(target));
    this.file = createWriteStream(this.tempFile);
    if (target.endsWith(".gz")) {
      const gzip = createGzip({ level: 9 });
      gzip.pipe(this.file);
      this.sink = gzip;
    } else {
      this.sink = this.file;
    }
    const fail = (error: unknown): void => {
      this.failure ??= { error };
    };
    this.file.on("error", fail);
    if (this.sink !== this.file) this.sink.on("error", fail);
    process.once("exit", this.cleanUp);
  }

  /**
   * Checks `out` before anything is downloaded (a folder, a path under a file or a place that
   * cannot be written is a `bad-output` error) and opens the temporary file beside it.
   */
  static open(out: string): OutputFile {
    let target = resolve(out);
    const existing = lstatOrUndefined(target);
    if (existing?.isSymbolicLink() === true) {
      try {
        target = realpathSync(target);
      } catch (cause) {
        throw badOut(out, "a symbolic link to nothing", cause);
      }
    }
    if (lstatOrUndefined(target)?.isDirectory() === true) throw badOut(out, "is a folder, not a file");
    let temp: string;
    try {
      mkdirSync(dirname(target), { recursive: true });
      temp = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
    } catch (cause) {
      throw badOut(out, `cannot write there (${systemReason(cause)})`, cause);
    }
    return new OutputFile(target, temp, out);
  }

  /** Appends one line (a line break is added); a failed write is `write-failed`. */
  async writeLine(line: string): Promise<void> {
    this.buffered.push(line);
    this.bufferedBytes += line.length + 1;
    if (this.bufferedBytes >= 64 * 1024) {
      try {
        await this.flush();
      } catch (cause) {
        throw this.writeFailed(cause);
      }
    }
  }

  private async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.buffered.length === 0) return;
    const chunk = `${this.buffered.join("\n")}\n`;
    this.buffered = [];
    this.bufferedBytes = 0;
    if (this.sink.write(chunk)) return;
    // Wait for room, or for the error that means there will be none.
    await new Promise<void>((done) => {
      // The error listeners added by the constructor run first and record the failure.
      const emitters = [this.sink, this.file];
      const finish = (): void => {
        this.sink.off("drain", finish);
        for (const emitter of emitters) emitter.off("error", finish);
        done();
      };
      this.sink.on("drain", finish);
      for (const emitter of emitters) emitter.on("error", finish);
    });
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  private writeFailed(cause: unknown): BacktestError {
    this.abandon();
    return new BacktestError(
      "write-failed",
      `cannot write ${this.out} (${systemReason(cause)}); the previous file is unchanged`,
      { file: this.target, cause },
    );
  }

  /** Finishes the file and renames it into place; a failure is `write-failed` and removes the temporary file. */
  async commit(): Promise<void> {
    try {
      await this.flush();
      this.sink.end();
      await finished(this.file);
      this.throwIfFailed();
      renameSync(this.tempFile, this.target);
    } catch (cause) {
      throw this.writeFailed(cause);
    }
    this.abandon();
  }

  /** Removes the temporary folder; any previous file stays as it was. */
  abandon(): void {
    this.sink.destroy();
    this.file.destroy();
    this.cleanUp();
    process.off("exit", this.cleanUp);
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
