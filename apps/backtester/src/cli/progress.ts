import { SingleBar } from "cli-progress";

/** Reports progress of a long loop: a bar with ETA on a terminal, plain lines otherwise. */
export interface Progress {
  /** Sets the number of units done. */
  update(done: number): void;
  /** Finishes the display. */
  stop(): void;
}

/** A progress display that shows nothing. */
export const silentProgress: Progress = { update() {}, stop() {} };

/**
 * A progress display for `total` units on `stream` (stderr by default, so stdout stays clean for
 * `--json`). On a TTY it is a cli-progress bar with ETA; otherwise one plain line per 10 %.
 */
export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | ETA {eta_formatted} | {value}/{total}`,
      stream,
      hideCursor: true,
      etaBuffer: 50,
    });
    bar.start(total, 0);
    return {
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  const started = now();
  let nextTenth = 1;
  return {
    update(done: number) {
      if (total <= 0) return;
      while (done >= (nextTenth * total) / 10 && nextTenth <= 10) {
        const elapsed = (now() - started) / 1000;
        const eta = done > 0 ? (elapsed * (total - done)) / done : 0;
        stream.write(
          `${label}: ${nextTenth * 10}% (${done}/${total}), ${elapsed.toFixed(1)} s elapsed, ETA ${eta.toFixed(1)} s\n`,
        );
        nextTenth++;
      }
    },
    stop() {},
  };
}
