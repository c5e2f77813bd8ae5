import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { systemReason } from "../data/files.js";
import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";

/** Temporary folders of runs in progress, removed by `abandonPendingOutputs` on a signal. */
const pending = new Set<string>();

/**
 * Removes the temporary folders of every output still being written (call it from a signal
 * handler before exiting: an interrupted run leaves no half-written folder behind).
 */
export function abandonPendingOutputs(): void {
  for (const temp of pending) rmSync(temp, { recursive: true, force: true });
  pending.clear();
}

function badOut(option: string, out: string, why: string, cause?: unknown): BacktestError {
  return new BacktestError("bad-output", `${option} ${out}: ${why}`, {
    file: out,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * An output folder written atomically. `prepare` checks `--out` before the run (a file, a folder
 * under a file, a read-only place, a folder holding anything but this command's own output files
 * are all `bad-output` errors) and makes an empty temporary folder beside it; the run writes into
 * `temp`, and `commit` renames it into place, replacing the previous output as a whole. A failed
 * or interrupted run calls `abandon` (or `abandonPendingOutputs`): the previous output stays whole
 * and no half-written file is left.
 */
export class OutputFolder {
  /** Where the files go while they are written. */
  readonly temp: string;
  /** The folder the output ends up in (symbolic links resolved). */
  readonly target: string;

  private constructor(target: string, temp: string) {
    this.target = target;
    this.temp = temp;
  }

  /**
   * Checks `out` (given as option `option`) and makes the temporary folder. `names` are the files
   * the command writes; an existing folder may hold only those (as files).
   */
  static prepare(out: string, names: readonly string[], option = "--out"): OutputFolder {
    let target = resolve(out);
    const existing = statOrUndefined(target);
    if (existing?.isSymbolicLink() === true) {
      try {
        target = realpathSync(target);
      } catch (cause) {
        throw badOut(option, out, "a symbolic link to nothing", cause);
      }
    }
    const stats = statOrUndefined(target);
    if (stats !== undefined) {
      if (!stats.isDirectory()) throw badOut(option, out, "is a file, not a folder");
      const foreign = readdirSync(target, { withFileTypes: true }).filter(
        (entry) => !(names.includes(entry.name) && entry.isFile()),
      );
      if (foreign.length > 0) {
        throw badOut(
          option,
          out,
          `holds ${foreign.length} entr${foreign.length === 1 ? "y" : "ies"} that ${foreign.length === 1 ? "is" : "are"} not this command's output (such as ${excerpt((foreign[0] as { name: string }).name, 40)}); it is replaced as a whole, so give a new or empty folder`,
        );
      }
    }
    const parent = dirname(target);
    let temp: string;
    try {
      mkdirSync(parent, { recursive: true });
      temp = makeTempFolder(join(parent, `.${basename(target)}.tmp-`));
    } catch (cause) {
      throw badOut(option, out, `cannot write there (${systemReason(cause)})`, cause);
    }
    pending.add(temp);
    return new OutputFolder(target, temp);
  }

  /** Puts the written files in place of the previous output (one rename, then the old one goes). */
  commit(): void {
    let old: string | undefined;
    try {
      if (statOrUndefined(this.target) !== undefined) {
        old = `${this.temp}.old`;
        renameSync(this.target, old);
      }
      try {
        renameSync(this.temp, this.target);
      } catch (cause) {
        if (old !== undefined) renameSync(old, this.target);
        throw cause;
      }
    } catch (cause) {
      this.abandon();
      throw new BacktestError(
        "write-failed",
        `cannot put the output in ${this.target} (${systemReason(cause)}); the previous output is unchanged`,
        { file: this.target, cause },
      );
    }
    pending.delete(this.temp);
    if (old !== undefined) rmSync(old, { recursive: true, force: true });
  }

  /** Removes the temporary folder; the previous output stays as it was. */
  abandon(): void {
    rmSync(this.temp, { recursive: true, force: true });
    pending.delete(this.temp);
  }

  /**
   * Runs `write` on the temporary folder, then commits; a failed write abandons the folder and
   * becomes a `write-failed` error (a full disk is not bad input, but it needs no stack trace).
   */
  writeAndCommit<T>(write: (dir: string) => T): T {
    let value: T;
    try {
      value = write(this.temp);
    } catch (cause) {
      this.abandon();
      if (cause instanceof BacktestError) throw cause;
      throw new BacktestError(
        "write-failed",
        `cannot write the output to ${this.target} (${systemReason(cause)}); the previous output is unchanged`,
        { file: this.target, cause },
      );
    }
    this.commit();
    return value;
  }
}

/**
 * Makes a new empty folder `prefix` + random characters. Not `mkdtemp`: its folder is private
 * (mode 0700), and this one becomes the output, which should get the permissions of any folder
 * the user makes (0777 less the umask), as it did before output was written atomically.
 */
function makeTempFolder(prefix: string): string {
  for (let attempt = 0; ; attempt++) {
    const path = `${prefix}${randomBytes(6).toString("hex")}`;
    try {
      mkdirSync(path);
      return path;
    } catch (cause) {
      if ((cause as { code?: string }).code !== "EEXIST" || attempt >= 9) throw cause;
    }
  }
}

function statOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
