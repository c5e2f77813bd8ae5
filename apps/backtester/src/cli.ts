import { constants } from "node:os";
import { main } from "./main.js";
import { abandonPendingOutputs } from "./report/output-folder.js";

// Ctrl-C, SIGTERM or a closed terminal: remove the half-written output folder, then exit as the
// signal would (128 + its number), leaving the previous output as it was. `on`, not `once`: a second
// copy of the signal (Ctrl-C reaches the launcher too, which passes it on) must not find the
// default action restored and kill the process in the middle of the clean-up.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    abandonPendingOutputs();
    process.exit(128 + constants.signals[signal]);
  });
}

// Started by bin/gpt-backtest.mjs: an IPC channel that closes means the launcher is gone (killed
// with SIGKILL, say). Stop as on a closed terminal rather than run on alone and write the output
// later. The channel is unref'd so it never keeps a finished run alive.
if (process.channel !== undefined) {
  process.channel.unref();
  process.on("disconnect", () => {
    abandonPendingOutputs();
    process.exit(128 + constants.signals.SIGHUP);
  });
}

// `gpt-backtest ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

// `pnpm backtest -- run ...` hands the `--` through to the script: drop it.
const args = process.argv.slice(2);
if (args[0] === "--") args.shift();
const code = await main(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrStream: process.stderr,
});
process.exitCode = code;
