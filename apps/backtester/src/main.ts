import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { parseRunOptions, type RawRunOptions } from "./cli/options.js";
import { createProgress } from "./cli/progress.js";
import { addDownloadCommand } from "./download/command.js";
import { BacktestError } from "./errors.js";
import { oneLine, redact } from "./excerpt.js";
import { OutputFolder } from "./report/output-folder.js";
import { RUN_OUTPUT_FILES, writeRunOutputs } from "./report/write.js";
import { runBacktestStreaming } from "./run.js";
import { strategyRegistry } from "./strategies.js";
import { addSweepCommands } from "./sweep/commands.js";

/** Where output goes; injectable so tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrStream?: NodeJS.WriteStream;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function addRunOptions(command: Command): Command {
  return command
    .option(
      "--data <SYMBOL=PATH>",
      "bars of one instrument: CSV or CSV.gz (time,open,high,low,close,volume), or SYMBOL=synthetic; repeatable",
      collect,
    )
    .option("--funding <SYMBOL=PATH>", "funding rates of a perpetual (time,rate); repeatable", collect)
    .option("--strategy <NAME>", "strategy (see `gpt-backtest strategies`)", "sma-cross")
    .option("--param <k=v>", "strategy parameter; repeatable", collect)
    .option("--from <DATE>", "first bar (ISO date/time in UTC, or unix seconds)")
    .option("--to <DATE>", "end, exclusive (ISO date/time in UTC, or unix seconds)")
    .option("--equity <AMOUNT>", "starting equity in USD", "10000")
    .option(
      "--fees <PRESET|MAKER,TAKER>",
      "coinbase-spot, coinbase-perps, none, or rates like 0.004,0.006",
      undefined,
    )
    .option("--slippage <BPS>", "slippage in basis points on taker fills", "0")
    .option("--leverage <N>", "leverage for perpetuals (BASE-PERP symbols)", "1")
    .option("--seed <N>", "seed of the synthetic data and of any randomness", "1")
    .option("--risk-free <RATE>", "annual risk-free rate as a fraction, for Sharpe and Sortino", "0")
    .option("--regime <auto|off|1m|1h|1d>", "regime classifier preset (auto: from the bar interval)", "auto")
    .option(
      "--risk <off|default|FILE.json>",
      "pre-trade risk of @gpt/risk: off, its defaults, or a config file",
      "off",
    )
    .option("--no-progress", "no progress display");
}

/** Builds the `gpt-backtest` program for `argv` (used to keep error lines free of secrets). Exported for tests. */
export function buildProgram(io: CliIo, argv: readonly string[] = []): Command {
  const program = new Command("gpt-backtest")
    .description(
      "Backtest GPT-Trader strategies on historical or synthetic bars with the same code the bot runs live.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Commander quotes the argument it refused: keep it short and free of secrets.
      outputError: (text, write) => write(quietCommanderError(text, argv)),
    })
    .showHelpAfterError("(add --help for the options)");

  addRunOptions(
    program
      .command("run")
      .description(
        "run one backtest and write stats.json, trades.csv, equity.csv, decisions.jsonl and report.html",
      ),
  )
    .option("--out <DIR>", "output folder", "backtest-out")
    .option("--json", "print stats.json to stdout")
    .action(async (raw: RawRunOptions) => {
      const options = parseRunOptions(raw);
      const stream = io.stderrStream;
      const outDir = options.outDir ?? "backtest-out";
      // Checked before the run; written beside it and renamed into place at the end.
      const folder = OutputFolder.prepare(outDir, RUN_OUTPUT_FILES);
      let result: Awaited<ReturnType<typeof runBacktestStreaming>>;
      try {
        result = await runBacktestStreaming(
          options,
          options.progress && !options.json && stream !== undefined
            ? { progressFor: (total) => createProgress("backtest", total, stream) }
            : {},
        );
      } catch (error) {
        folder.abandon();
        throw error;
      }
      folder.writeAndCommit((dir) =>
        writeRunOutputs(dir, result, {
          title: `${options.strategy} on ${options.data.map((d) => d.symbol).join(", ")}`,
          generatedAt: new Date().toISOString(),
        }),
      );
      const report = join(outDir, "report.html");
      if (options.json) {
        io.stdout(`${JSON.stringify(result.stats, null, 2)}\n`);
      } else {
        const s = result.stats;
        const pct = (x: number | null): string => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);
        io.stdout(
          [
            `bars ${s.bars}, trades ${s.trades}, total return ${pct(s.totalReturn)} (buy and hold ${pct(s.buyAndHoldReturn)}),`,
            `sharpe ${s.sharpe?.toFixed(2) ?? "n/a"}, max drawdown ${pct(s.maxDrawdown)}, fees ${s.feesPaid.toFixed(2)}, ${s.elapsedMs.toFixed(0)} ms`,
            ...s.dataWarnings.map((w) => `warning: ${w}`),
            ...s.sampleWarnings.map((w) => `note: ${w}`),
            `report: ${report}`,
            "",
          ].join("\n"),
        );
      }
    });

  addSweepCommands(program, io);
  addDownloadCommand(program, io);

  program
    .command("strategies")
    .description("list the strategies and their parameters")
    .action(() => {
      for (const info of strategyRegistry.list()) {
        io.stdout(`${info.name}: ${info.description}\n`);
      }
    });
  return program;
}

/**
 * Commander's error on one line (plus its hint), with the arguments it quotes made safe: any
 * argument, or the value of an `--option=value`, that could be a secret or is long is replaced by
 * its excerpt (`redact`), so `--api-key=sk-…` is never echoed.
 */
function quietCommanderError(text: string, argv: readonly string[]): string {
  const values = argv.flatMap((arg) => {
    const eq = arg.indexOf("=");
    return eq > 0 ? [arg, arg.slice(eq + 1)] : [arg];
  });
  return `${oneLine(redact(text.trimEnd(), values).replace(/\n+/g, " "))}\n`;
}

/** Runs the CLI; returns the exit code (0 ok, 2 bad input, 1 anything else). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io, argv);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof BacktestError) {
      io.stderr(`gpt-backtest: ${oneLine(error.message)}\n`);
      return error.code === "write-failed" || error.code === "download-failed" ? 1 : 2;
    }
    io.stderr(
      `gpt-backtest: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
