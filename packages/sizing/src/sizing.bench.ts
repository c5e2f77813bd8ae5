/**
 * Sizing throughput: the full pipeline (validation, method, confidence, regime, caps, quantization,
 * minimum checks) for a mix of methods on a spot and a perp instrument. Run with `pnpm bench`.
 */
import { fileURLToPath } from "node:url";
import { measure, writeBenchResult } from "@gpt/testkit";
import type { SizePositionInput, SizingMethod } from "./index.js";
import { sizePosition } from "./index.js";
import { BIP_PERP, BTC_USD } from "./testing/instruments.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const N = 20_000;

// Deterministic inputs (a small LCG, no Math.random).
let seed = 7;
function next(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

const inputs: SizePositionInput[] = [];
for (let i = 0; i < N; i++) {
  const price = (40_000 + next() * 60_000).toFixed(2);
  const atr = 200 + next() * 1500;
  const methods: SizingMethod[] = [
    {
      kind: "kelly",
      estimate: { winRate: 0.45 + next() * 0.2, payoffRatio: 0.8 + next() * 1.5 },
      kellyMultiplier: 0.5,
    },
    { kind: "atr", atr, atrMultiple: 2, riskFraction: 0.01 },
    { kind: "realized-volatility", realizedVol: 0.002 + next() * 0.01, targetVol: 0.004 },
    { kind: "fixed-risk", stop: (Number(price) - 2 * atr).toFixed(2), riskFraction: 0.005, side: "buy" },
  ];
  inputs.push({
    equity: (10_000 + next() * 90_000).toFixed(2),
    price,
    instrument: i % 2 === 0 ? BTC_USD : BIP_PERP,
    method: methods[i % methods.length] as SizingMethod,
    confidence: next(),
    confidenceCurve: { kind: "smoothstep", minConfidence: 0.1 },
    regimeMultiplier: 0.5 + next(),
    caps: { maxLeverage: 3, maxNotional: "50000", availableMargin: "20000" },
  });
}

const rounds = measure(() => {
  let sized = 0;
  for (const input of inputs) if (sizePosition(input).kind === "sized") sized++;
  if (sized === 0) throw new Error("nothing sized: the bench inputs are wrong");
  return N;
}, 5);
const result = writeBenchResult(packageDir, "size-position-mixed", "sizings", rounds);
console.log(
  `size-position-mixed: ${Math.round(result.perSecond).toLocaleString("en-US")} sizings/s (median of 5 × ${N})`,
);
