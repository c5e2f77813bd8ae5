import { main } from "./main.js";

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
