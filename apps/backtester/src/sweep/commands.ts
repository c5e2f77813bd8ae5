import { basename, join } from "node:path";
import type { Command } from "commander";
import { parseRunOptions, type RawRunOptions } from "../cli/options.js";
import { createProgress, type Progress } from "../cli/progress.js";
import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import type { CliIo } from "../main.js";
import { OutputFolder } from "../report/output-folder.js";
import { loadRunData } from "../run.js";
import { walkForwardJson, walkForwardText, writeWalkForwardOutputs } from "../walk-forward/output.js";
import { dataSpan, runWalkForward } from "../walk-forward/walk-forward.js";
import { buildWindows, parseDuration } from "../walk-forward/windows.js";
import { parseMetric } from "./metric.js";
import { sweepJson, sweepTable, writeSweepOutputs } from "./output.js";
import { autoWorkers, createSweepPool, defaultWorkers, MAX_WORKERS } from "./pool.js";
import { parseSearchSpec, type RawSearchOptions, searchSize } from "./spec.js";
import { runSweep } from "./sweep.js";

/** Raw options of `sweep` as commander hands them over. */
interface RawSweepOptions extends RawRunOptions, RawSearchOptions {
  metric?: string;
  order?: string;
  top?: string;
  workers?: string;
}

/** Raw options of `walk-forward`. */
interface RawWalkForwardOptions extends RawSweepOptions {
  train?: string;
  test?: string;
  step?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Options of `run` that sweep and walk-forward define for themselves. */
const OWN_OPTIONS: readonly string[] = ["--out", "--json"];

/**
 * Gives `command` the data, strategy and run options of the program's `run` command (the same
 * Option objects), so every point runs with exactly the settings `run` accepts, and an option added
 * to `run` reaches the sweep commands too.
 */
function addRunOptionsOf(program: Command, command: Command): Command {
  const run = program.commands.find((c) => c.name() === "run");
  if (run === undefined) throw new Error("addSweepCommands: define the run command first");
  for (const option of run.options) {
    if (!OWN_OPTIONS.includes(option.long ?? "")) command.addOption(option);
  }
  return command;
}

/** The search, ranking and parallelism options of `sweep` and `walk-forward`. */
function addSearchOptions(command: Command): Command {
  return command
    .option(
      "--grid <NAME=VALUES>",
      "searched parameter: a list (fast=5,10,20) or start:stop:step (slow=50:200:50); repeatable",
      collect,
    )
    .option("--random <N>", "random search: draw N distinct valid points from --space (and --grid) instead")
    .option(
      "--space <NAME=RANGE>",
      "random-search range: min..max (integers if both bounds are; fast=5..50) or a list a,b,c; repeatable",
      collect,
    )
    .option("--search-seed <N>", "seed of the random search (default: --seed)")
    .option(
      "--metric <KEY>",
      "numeric stats.json key to rank by: sharpe, sortino, calmar, totalReturn, cagr, profitFactor, maxDrawdown, winRate, sqn, psr, ... (a wrong key lists them all)",
      "sharpe",
    )
    .option(
      "--order <asc|desc>",
      "rank order (default: desc, asc for drawdowns, volatility, fees, rejections)",
    )
    .option(
      "--workers <N>",
      `parallel runners: this thread plus N-1 worker threads, 1 = in-process (default: ${defaultWorkers()}, the core count, or 1 for a search too small to pay for starting threads)`,
    )
    .option("--json", "print the JSON output to stdout instead of the table");
}

function parseCount(option: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new BacktestError(
      "bad-argument",
      `${option} ${excerpt(value)}: must be a whole number from 1 to ${max}`,
    );
  }
  return Number(value);
}

/** A progress display created on the first update (the total is known only once the points are). */
function lazyProgress(
  label: string,
  enabled: boolean,
  io: CliIo,
): { update(done: number, total: number): void; stop(): void } {
  let progress: Progress | undefined;
  return {
    update(done, total) {
      if (!enabled || io.stderrStream === undefined) return;
      progress ??= createProgress(label, total, io.stderrStream);
      progress.update(done);
    },
    stop() {
      progress?.stop();
    },
  };
}

function parseCommon(raw: RawSweepOptions) {
  const options = parseRunOptions({ ...raw, progress: false });
  const spec = parseSearchSpec(raw, options.params, options.seed);
  const metric = parseMetric(raw.metric ?? "sharpe", raw.order);
  const workers = raw.workers === undefined ? undefined : parseCount("--workers", raw.workers, MAX_WORKERS);
  const showProgress = (raw.progress ?? true) && !(raw.json ?? false);
  return { options, spec, metric, workers, showProgress };
}

const SWEEP_HELP = `
Each point is one backtest with the same numbers \`run\` gives for those parameters. Points the
strategy refuses (fast >= slow) are skipped and listed in sweep.json. Points whose metric is
undefined (no trades, no variance) rank last. Files hold every point; --top limits the table.

Examples:
  gpt-backtest sweep --grid fast=5,10,20 --grid slow=50:200:50 --metric sharpe
  gpt-backtest sweep --random 40 --space fast=5..50 --space slow=50..200 --search-seed 7 --workers 2
`;

const WALK_FORWARD_HELP = `
Windows roll from the first bar: train on [start, start+train), test on the following --test,
then move on by --step (default --test; at least --test, so test windows never overlap). On each
train window every point of the search runs and the best by --metric is chosen; it then runs on
the test window, and only test (out-of-sample) results are reported.

Warm-up: each train and test run is a backtest of its window alone, as \`run --from --to\` over
that window (flat, starting equity, empty indicators): a strategy needing N bars of history
makes no decision in a window's first N bars and never reads a bar before the window.

Examples:
  gpt-backtest walk-forward --train 30d --test 7d --grid fast=5,10,20 --grid slow=30:90:30
  gpt-backtest walk-forward --train 60d --test 14d --step 14d --random 20 --space fast=5..40 --space slow=41..120
`;

/**
 * Adds the `sweep` and `walk-forward` commands to the `gpt-backtest` program, after its `run`
 * command (whose data, strategy and run options they share: `--param` fixes a parameter for every
 * point). Bad input is a `BacktestError`, which `main` turns into exit code 2.
 */
export function addSweepCommands(program: Command, io: CliIo): void {
  addSearchOptions(
    addRunOptionsOf(
      program,
      program
        .command("sweep")
        .description(
          "run a parameter grid or random search in parallel; write sweep.csv and sweep.json, ranked",
        ),
    ),
  )
    .option("--top <K>", "rows of the ranking to print", "10")
    .option("--out <DIR>", "output folder", "sweep-out")
    .addHelpText("after", SWEEP_HELP)
    .action(async (raw: RawSweepOptions) => {
      const common = parseCommon(raw);
      const { options, spec, metric, showProgress } = common;
      const top = parseCount("--top", raw.top ?? "10", Number.MAX_SAFE_INTEGER);
      // --out is checked before the search; the files are written beside it and renamed into place.
      const folder = OutputFolder.prepare(raw.out ?? "sweep-out", ["sweep.csv", "sweep.json"]);
      try {
        const data = loadRunData(options);
        const bars = data.series.reduce((a, s) => a + s.length, 0);
        const workers = common.workers ?? autoWorkers(searchSize(spec) * bars);
        const progress = lazyProgress("sweep", showProgress, io);
        const pool = createSweepPool(options, data, { workers });
        let outcome: Awaited<ReturnType<typeof runSweep>>;
        try {
          outcome = await runSweep({ options, data, spec, metric, pool, onDone: progress.update });
        } finally {
          progress.stop();
          await pool.close();
        }
        const written = folder.writeAndCommit((dir) =>
          writeSweepOutputs(dir, outcome, spec, metric, options, workers),
        );
        const files = {
          csv: join(folder.target, basename(written.csv)),
          json: join(folder.target, basename(written.json)),
        };
        if (raw.json ?? false) {
          io.stdout(`${JSON.stringify(sweepJson(outcome, spec, metric, options, workers), null, 2)}\n`);
          return;
        }
        io.stdout(sweepTable(outcome, metric, top));
        io.stdout(
          [
            `${outcome.ranked.length} points ranked by ${metric.name} (${metric.order}) on ${workers} worker${workers === 1 ? "" : "s"}` +
              (outcome.skipped.length > 0
                ? `; ${outcome.skipped.length} refused by the strategy (see sweep.json)`
                : ""),
            `wrote ${files.csv} and ${files.json}`,
            "",
          ].join("\n"),
        );
      } finally {
        folder.abandon(); // a no-op once committed
      }
    });

  addSearchOptions(
    addRunOptionsOf(
      program,
      program
        .command("walk-forward")
        .description(
          "optimise on rolling train windows, trade the winner on the next test window; out-of-sample results only",
        ),
    ),
  )
    .requiredOption("--train <DURATION>", "train window length: 30d, 12h, 90m")
    .requiredOption("--test <DURATION>", "test window length: 7d, 12h, 90m")
    .option("--step <DURATION>", "how far windows move on (default: --test)")
    .option("--out <DIR>", "output folder", "walk-forward-out")
    .addHelpText("after", WALK_FORWARD_HELP)
    .action(async (raw: RawWalkForwardOptions) => {
      const common = parseCommon(raw);
      const { options, spec, metric, showProgress } = common;
      const train = raw.train ?? "";
      const test = raw.test ?? "";
      const trainMs = parseDuration("--train", train);
      const testMs = parseDuration("--test", test);
      const step = raw.step ?? test;
      const stepMs = parseDuration("--step", step);
      const outDir = raw.out ?? "walk-forward-out";
      const folder = OutputFolder.prepare(outDir, ["walk-forward.csv", "walk-forward.json"]);
      try {
        const data = loadRunData(options);
        const windows = buildWindows({ ...dataSpan(data), trainMs, testMs, stepMs });
        const barsPerMs = data.series.reduce((a, s) => a + 1 / s.intervalMs, 0);
        const work = windows.length * (searchSize(spec) * trainMs + testMs) * barsPerMs;
        const workers = common.workers ?? autoWorkers(work);
        const progress = lazyProgress("walk-forward", showProgress, io);
        const pool = createSweepPool(options, data, { workers });
        let report: Awaited<ReturnType<typeof runWalkForward>>;
        try {
          report = await runWalkForward({
            options,
            data,
            spec,
            metric,
            trainMs,
            testMs,
            stepMs,
            pool,
            onDone: progress.update,
          });
        } finally {
          progress.stop();
          await pool.close();
        }
        const lengths = { train, test, step, trainMs, testMs, stepMs };
        const written = folder.writeAndCommit((dir) =>
          writeWalkForwardOutputs(dir, report, spec, metric, options, lengths, workers),
        );
        const files = {
          csv: join(folder.target, basename(written.csv)),
          json: join(folder.target, basename(written.json)),
        };
        if (raw.json ?? false) {
          const body = walkForwardJson(report, spec, metric, options, lengths, workers);
          io.stdout(`${JSON.stringify(body, null, 2)}\n`);
          return;
        }
        io.stdout(walkForwardText(report, metric));
        for (const r of report.windows)
          for (const note of r.notes) io.stdout(`note: window ${r.window.index}: ${note}\n`);
        if (report.skippedWindows.length > 0) {
          io.stdout(
            `note: ${report.skippedWindows.length} windows skipped (no bars); see walk-forward.json\n`,
          );
        }
        io.stdout(`wrote ${files.csv} and ${files.json}\n`);
      } finally {
        folder.abandon(); // a no-op once committed
      }
    });
}
