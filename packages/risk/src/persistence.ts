import type { ParseSchema } from "@gpt/core";
import * as z from "@gpt/core/validation";
import { D, type Decimal } from "@gpt/quantize";
import { BREAKER_NAMES, type BreakerName } from "./config.js";
import { fmt } from "./decimal.js";
import { RiskError } from "./errors.js";
import { type BreakerTrip, RISK_STATE_VERSION, type RiskState } from "./state.js";

const DECIMAL_TEXT = /^-?(?:\d+(?:\.\d+)?)$/;

/** A `BreakerTrip` as JSON-ready data. */
export interface BreakerTripJson {
  /** Why it tripped, in words. */
  readonly reason: string;
  /** The measured value (decimal string). */
  readonly value: string;
  /** The threshold (decimal string). */
  readonly threshold: string;
  /** When it tripped (Unix ms). */
  readonly trippedAt: number;
  /** When it recovers (Unix ms). */
  readonly cooldownUntil: number;
  /** The state it imposes until then. */
  readonly onTrip: "reducing" | "halted";
}

/** A `RiskState` as JSON-ready data (what `serializeRiskState` returns and stores save). */
export interface RiskStateJson {
  /** Format version (1). */
  readonly version: typeof RISK_STATE_VERSION;
  /** When the state last changed (Unix ms). */
  readonly updatedAt: number;
  /** The trading state. */
  readonly tradingState: "active" | "reducing" | "halted";
  /** Why the state is what it is. */
  readonly tradingStateReason: string;
  /** The active kill switch, if any. */
  readonly killSwitch: { readonly reason: string; readonly activatedAt: number } | null;
  /** Manual reduce-only mode, if on. */
  readonly manualReduceOnly: { readonly reason: string; readonly since: number } | null;
  /** The trading day; Decimals as plain decimal strings. */
  readonly day: {
    /** Start of the day (Unix ms). */
    readonly start: number;
    /** Equity at the start of the day. */
    readonly startEquity: string | null;
    /** Deposits minus withdrawals during the day. */
    readonly cashFlow: string;
    /** Realized PnL during the day. */
    readonly realizedPnl: string;
    /** The daily-loss breach, if any. */
    readonly breach: {
      readonly at: number;
      readonly dailyPnl: string;
      readonly lossPct: string | null;
    } | null;
  };
  /** Last equity seen. */
  readonly lastEquity: string | null;
  /** Peak equity. */
  readonly peakEquity: string | null;
  /** Losing closed trades in a row. */
  readonly consecutiveLosses: number;
  /** Times of venue requests in the window (Unix ms). */
  readonly venueRequests: readonly number[];
  /** Times of venue errors in the window (Unix ms). */
  readonly venueErrors: readonly number[];
  /** Times of order rejects in the window (Unix ms). */
  readonly rejects: readonly number[];
  /** The tripped breakers. */
  readonly breakers: Readonly<Record<BreakerName, BreakerTripJson | null>>;
}

const riskStateJsonZod = /* @__PURE__ */ z.memo(() => {
  const decimalText = z.string().check(z.regex(DECIMAL_TEXT, "must be a plain decimal string"));
  const millis = z.int().check(z.minimum(-Number.MAX_SAFE_INTEGER), z.maximum(Number.MAX_SAFE_INTEGER));
  const nonNegativeMillis = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
  const tripSchema = z.strictObject({
    reason: z.string(),
    value: z.string(),
    threshold: z.string(),
    trippedAt: nonNegativeMillis,
    cooldownUntil: nonNegativeMillis,
    onTrip: z.enum(["reducing", "halted"]),
  });
  const breakerShape = Object.fromEntries(
    BREAKER_NAMES.map((name) => [name, z.nullable(tripSchema)]),
  ) as Record<BreakerName, z.ZodMiniNullable<typeof tripSchema>>;
  return z.strictObject({
    version: z.literal(RISK_STATE_VERSION),
    updatedAt: nonNegativeMillis,
    tradingState: z.enum(["active", "reducing", "halted"]),
    tradingStateReason: z.string(),
    killSwitch: z.nullable(
      z.strictObject({ reason: z.string().check(z.minLength(1)), activatedAt: nonNegativeMillis }),
    ),
    manualReduceOnly: z.nullable(
      z.strictObject({ reason: z.string().check(z.minLength(1)), since: nonNegativeMillis }),
    ),
    day: z.strictObject({
      start: millis,
      startEquity: z.nullable(decimalText),
      cashFlow: decimalText,
      realizedPnl: decimalText,
      breach: z.nullable(
        z.strictObject({ at: nonNegativeMillis, dailyPnl: decimalText, lossPct: z.nullable(decimalText) }),
      ),
    }),
    lastEquity: z.nullable(decimalText),
    peakEquity: z.nullable(decimalText),
    consecutiveLosses: z.int().check(z.minimum(0)),
    venueRequests: z.array(nonNegativeMillis),
    venueErrors: z.array(nonNegativeMillis),
    rejects: z.array(nonNegativeMillis),
    breakers: z.strictObject(breakerShape),
  });
});

// Compile-time proof that the schema's output is a RiskStateJson.
const _outputIsJson: (value: z.output<ReturnType<typeof riskStateJsonZod>>) => RiskStateJson = (value) =>
  value;
void _outputIsJson;

/** The schema of a persisted `RiskState` (version 1): Decimals as plain decimal strings. */
export const riskStateJsonSchema: ParseSchema<RiskStateJson> = /* @__PURE__ */ z.publicSchema(
  riskStateJsonZod,
);

const dec = (text: string) => new D(text);
const decOrNull = (text: string | null) => (text === null ? null : new D(text));
const textOrNull = (value: Decimal | null) => (value === null ? null : fmt(value));

/** Turns a `RiskState` into JSON-ready data: Decimals become plain decimal strings. */
export function serializeRiskState(state: RiskState): RiskStateJson {
  const breakers = {} as Record<BreakerName, BreakerTrip | null>;
  for (const name of BREAKER_NAMES) breakers[name] = state.breakers[name];
  return {
    version: state.version,
    updatedAt: state.updatedAt,
    tradingState: state.tradingState,
    tradingStateReason: state.tradingStateReason,
    killSwitch: state.killSwitch,
    manualReduceOnly: state.manualReduceOnly,
    day: {
      start: state.day.start,
      startEquity: textOrNull(state.day.startEquity),
      cashFlow: fmt(state.day.cashFlow),
      realizedPnl: fmt(state.day.realizedPnl),
      breach:
        state.day.breach === null
          ? null
          : {
              at: state.day.breach.at,
              dailyPnl: fmt(state.day.breach.dailyPnl),
              lossPct: textOrNull(state.day.breach.lossPct),
            },
    },
    lastEquity: textOrNull(state.lastEquity),
    peakEquity: textOrNull(state.peakEquity),
    consecutiveLosses: state.consecutiveLosses,
    venueRequests: [...state.venueRequests],
    venueErrors: [...state.venueErrors],
    rejects: [...state.rejects],
    breakers,
  };
}

/**
 * Validates persisted data (e.g. `JSON.parse` of a saved file) and rebuilds the `RiskState`.
 *
 * @throws RiskError (`invalid-state`) naming every problem, or an unsupported `version`.
 */
export function parseRiskState(data: unknown): RiskState {
  if (data !== null && typeof data === "object" && "version" in data && data.version !== RISK_STATE_VERSION) {
    throw new RiskError(
      "invalid-state",
      `RiskState: unsupported version ${JSON.stringify(data.version)} (this library reads version ${RISK_STATE_VERSION})`,
      { field: "version", value: data.version },
    );
  }
  const parsed = z.safeParse(riskStateJsonZod(), data);
  if (!parsed.success) {
    const summary = parsed.error.issues.map(
      (i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`,
    );
    throw new RiskError("invalid-state", `RiskState is invalid: ${summary.join("; ")}`, {
      cause: parsed.error,
    });
  }
  const j = parsed.data;
  return {
    version: RISK_STATE_VERSION,
    updatedAt: j.updatedAt,
    tradingState: j.tradingState,
    tradingStateReason: j.tradingStateReason,
    killSwitch: j.killSwitch,
    manualReduceOnly: j.manualReduceOnly,
    day: {
      start: j.day.start,
      startEquity: decOrNull(j.day.startEquity),
      cashFlow: dec(j.day.cashFlow),
      realizedPnl: dec(j.day.realizedPnl),
      breach:
        j.day.breach === null
          ? null
          : {
              at: j.day.breach.at,
              dailyPnl: dec(j.day.breach.dailyPnl),
              lossPct: decOrNull(j.day.breach.lossPct),
            },
    },
    lastEquity: decOrNull(j.lastEquity),
    peakEquity: decOrNull(j.peakEquity),
    consecutiveLosses: j.consecutiveLosses,
    venueRequests: j.venueRequests,
    venueErrors: j.venueErrors,
    rejects: j.rejects,
    breakers: j.breakers,
  };
}

/** `JSON.stringify(serializeRiskState(state))`. */
export function riskStateToJson(state: RiskState): string {
  return JSON.stringify(serializeRiskState(state));
}

/**
 * Parses JSON text saved by `riskStateToJson`.
 * @throws RiskError (`invalid-state`) for text that is not JSON or not a valid state.
 */
export function riskStateFromJson(text: string): RiskState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new RiskError("invalid-state", "RiskState: not valid JSON", { cause });
  }
  return parseRiskState(data);
}

/**
 * Where the risk state lives between runs. The library ships only `InMemoryRiskStateStore`; an
 * application provides a durable one (a file written atomically, a database row) around
 * `riskStateToJson` / `riskStateFromJson`.
 */
export interface RiskStateStore {
  /** The saved state, or `undefined` if nothing was saved yet. */
  load(): Promise<RiskState | undefined>;
  /** Saves the state, replacing the previous one. */
  save(state: RiskState): Promise<void>;
}

/**
 * A `RiskStateStore` in memory. It keeps the serialized JSON text, not the object, so a
 * save/load round trip goes through the same validation as a file would.
 */
export class InMemoryRiskStateStore implements RiskStateStore {
  #text: string | undefined;

  /** Starts empty, or with previously saved JSON text. */
  constructor(initialJson?: string) {
    this.#text = initialJson;
  }

  /** The saved state, validated, or `undefined`. @throws RiskError if the saved text is invalid. */
  async load(): Promise<RiskState | undefined> {
    return this.#text === undefined ? undefined : riskStateFromJson(this.#text);
  }

  /** Saves the state as JSON text. */
  async save(state: RiskState): Promise<void> {
    this.#text = riskStateToJson(state);
  }

  /** The JSON text last saved (for inspection in tests), or `undefined`. */
  get json(): string | undefined {
    return this.#text;
  }
}
