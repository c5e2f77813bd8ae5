import { type Bar, type InstrumentId, ManualClock, type Order, strategyId } from "@gpt/core";
import {
  latestTarget,
  type Strategy,
  type StrategyContext,
  StrategyError,
  type StrategyFactory,
  type TargetPositionIntent,
} from "@gpt/strategies";
import { type FeatureSchema, SelectorFeatures } from "./features.js";

/** A candidate strategy of the selector: a registry name and its parameters. */
export interface CandidateSpec {
  /** Registry name (must be bar-driven: strategies that need funding events are refused). */
  readonly name: string;
  /** Its parameters (validated by the registry). */
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Everything the selector learns from, computed in one causal pass over the bars: the feature
 * vector at each bar, and each candidate's standing direction after each bar with its cumulative
 * log return and turnover. Entry `t` of every array depends only on bars `0..t`.
 */
export interface SelectorDataset {
  /** The bars (one instrument, strictly increasing `tsEvent`). */
  readonly bars: readonly Bar[];
  /** The feature schema. */
  readonly schema: FeatureSchema;
  /** The candidates. */
  readonly candidates: readonly CandidateSpec[];
  /** Columns per feature row. */
  readonly featureCount: number;
  /** Row-major features, `bars.length × featureCount` (rows of unready bars are 0). */
  readonly features: Float64Array;
  /** 1 where the feature row is ready. */
  readonly ready: Uint8Array;
  /** Per candidate: standing direction after bar t (+1 long, −1 short, 0 flat). */
  readonly directions: readonly Int8Array[];
  /** Per candidate: Σ_{i=1..t} direction[i−1] × ln(close_i / close_{i−1}) (0 at t = 0). */
  readonly cumulativeReturn: readonly Float64Array[];
  /** Per candidate: Σ_{i=1..t} |direction[i] − direction[i−1]|. */
  readonly cumulativeTurnover: readonly Float64Array[];
}

const NO_ORDERS: readonly Order[] = Object.freeze([]);

/** Checks that bars are non-empty, of one instrument and strictly increasing in time. */
export function checkBars(bars: readonly Bar[]): InstrumentId {
  const first = bars[0];
  if (first === undefined) {
    throw new StrategyError("invalid-input", "no bars given", { param: "bars", value: 0 });
  }
  for (let i = 1; i < bars.length; i++) {
    const bar = bars[i] as Bar;
    const previous = bars[i - 1] as Bar;
    if (bar.instrumentId !== first.instrumentId) {
      throw new StrategyError(
        "invalid-input",
        `bar ${i} is for ${bar.instrumentId}, not ${first.instrumentId}`,
        {
          param: "bars",
          value: bar.instrumentId,
          context: { index: i },
        },
      );
    }
    if (!(bar.tsEvent > previous.tsEvent)) {
      throw new StrategyError(
        "invalid-input",
        `bar ${i} is not after bar ${i - 1} (tsEvent ${bar.tsEvent})`,
        {
          param: "bars",
          value: bar.tsEvent,
          context: { index: i },
        },
      );
    }
  }
  return first.instrumentId;
}

/**
 * Creates the candidate strategies through the registry, refusing unknown names, bad parameters
 * and funding-driven strategies (the selector learns from bars only).
 */
export function createCandidates(
  registry: StrategyFactory,
  candidates: readonly CandidateSpec[],
  instrumentId: InstrumentId,
  parentId: string,
): Strategy[] {
  if (candidates.length < 2) {
    throw new StrategyError("invalid-params", "the selector needs at least two candidates", {
      strategy: "ml-selector",
      param: "candidates",
      value: candidates.length,
    });
  }
  return candidates.map((c, i) => {
    const definition = registry.get(c.name);
    if (definition === undefined) {
      throw new StrategyError("invalid-params", `candidate ${i}: unknown strategy "${c.name}"`, {
        strategy: "ml-selector",
        param: `candidates.${i}.name`,
        value: c.name,
      });
    }
    if (definition.usesFunding) {
      throw new StrategyError(
        "invalid-params",
        `candidate ${i}: "${c.name}" needs funding events; the selector learns from bars only`,
        { strategy: "ml-selector", param: `candidates.${i}.name`, value: c.name },
      );
    }
    return registry.create(c.name, c.params, {
      instrumentId,
      strategyId: strategyId(`${parentId}/${i}-${c.name}`),
    });
  });
}

/** +1, −1 or 0 for a standing target. */
function directionSign(target: TargetPositionIntent | undefined): number {
  if (target === undefined) return 0;
  switch (target.direction) {
    case "long":
      return 1;
    case "short":
      return -1;
    case "flat":
      return 0;
    default: {
      const unreachable: never = target.direction;
      return unreachable;
    }
  }
}

/**
 * Runs the feature extractor and every candidate over the bars in one causal pass (the candidates
 * see the extractor's regime readings as `ctx.regime`, exactly as inside the `ml-selector` strategy).
 * @throws StrategyError (`invalid-input`, `invalid-params`)
 */
export function buildSelectorDataset(
  bars: readonly Bar[],
  schema: FeatureSchema,
  candidates: readonly CandidateSpec[],
  registry: StrategyFactory,
): SelectorDataset {
  const instrumentId = checkBars(bars);
  const strategies = createCandidates(registry, candidates, instrumentId, "ml-selector");
  const extractor = new SelectorFeatures(schema);
  const n = bars.length;
  const width = schema.names.length;
  const features = new Float64Array(n * width);
  const ready = new Uint8Array(n);
  const directions = strategies.map(() => new Int8Array(n));
  const cumulativeReturn = strategies.map(() => new Float64Array(n));
  const cumulativeTurnover = strategies.map(() => new Float64Array(n));
  const targets: (TargetPositionIntent | undefined)[] = strategies.map(() => undefined);
  const clock = new ManualClock(0);
  const ctx: StrategyContext = {
    clock,
    regime: (id) => (id === instrumentId ? extractor.regime : undefined),
    position: () => undefined,
    openOrders: () => NO_ORDERS,
  };
  for (let t = 0; t < n; t++) {
    const bar = bars[t] as Bar;
    clock.set(bar.tsEvent);
    const row = extractor.update(bar);
    if (row !== undefined) {
      features.set(row, t * width);
      ready[t] = 1;
    }
    const logReturn = t > 0 ? Math.log(bar.close / (bars[t - 1] as Bar).close) : 0;
    for (let c = 0; c < strategies.length; c++) {
      const strategy = strategies[c] as Strategy;
      targets[c] = latestTarget(strategy.onBar(ctx, bar), targets[c]);
      const dir = directions[c] as Int8Array;
      dir[t] = directionSign(targets[c]);
      if (t > 0) {
        const cr = cumulativeReturn[c] as Float64Array;
        const ct = cumulativeTurnover[c] as Float64Array;
        cr[t] = (cr[t - 1] as number) + (dir[t - 1] as number) * logReturn;
        ct[t] = (ct[t - 1] as number) + Math.abs((dir[t] as number) - (dir[t - 1] as number));
      }
    }
  }
  return {
    bars,
    schema,
    candidates,
    featureCount: width,
    features,
    ready,
    directions,
    cumulativeReturn,
    cumulativeTurnover,
  };
}

/**
 * Each candidate's score for a decision at bar `t` over the next `horizon` bars: the log return of
 * holding its standing directions from `t` to `t + horizon` minus `turnoverCost` per unit of
 * direction change inside that window. Needs bars up to `t + horizon`.
 */
export function forwardScores(
  ds: SelectorDataset,
  t: number,
  horizon: number,
  turnoverCost: number,
  out: Float64Array,
): Float64Array {
  const end = t + horizon;
  for (let c = 0; c < ds.candidates.length; c++) {
    const cr = ds.cumulativeReturn[c] as Float64Array;
    const ct = ds.cumulativeTurnover[c] as Float64Array;
    const turnover = (ct[end - 1] as number) - (ct[t] as number);
    out[c] = (cr[end] as number) - (cr[t] as number) - turnoverCost * turnover;
  }
  return out;
}

/**
 * The label of bar `t`: the candidate with the best forward score (the first one on a tie), or −1
 * when the label would need a bar at or after `cut` (data not available at training time) or the
 * features of `t` are not ready.
 */
export function labelAt(
  ds: SelectorDataset,
  t: number,
  horizon: number,
  turnoverCost: number,
  cut: number,
  scratch: Float64Array,
): number {
  if (t < 0 || t + horizon >= cut || t + horizon >= ds.bars.length || ds.ready[t] !== 1) return -1;
  const scores = forwardScores(ds, t, horizon, turnoverCost, scratch);
  let best = 0;
  for (let c = 1; c < ds.candidates.length; c++) {
    if ((scores[c] as number) > (scores[best] as number)) best = c;
  }
  return best;
}
