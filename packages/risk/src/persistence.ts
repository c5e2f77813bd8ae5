import { D, type Decimal } from "@gpt/quantize";
import { z } from "zod";
import { BREAKER_NAMES, type BreakerName } from "./config.js";
import { fmt } from "./decimal.js";
import { RiskError } from "./errors.js";
import { type BreakerTrip, RISK_STATE_VERSION, type RiskState } from "./state.js";

const DECIMAL_TEXT = /^-?(?:\d+(?:\.\d+)?)$/;

const decimalText = z.string().regex(DECIMAL_TEXT, "must be a plain decimal string");
const millis = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const nonNegativeMillis = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const tripSchema = z.strictObject({
  reason: z.string(),
  value: z.string(),
  threshold: z.string(),
  trippedAt: nonNegativeMillis,
  cooldownUntil: nonNegativeMillis,
  onTrip: z.enum(["reducing", "halted"]),
});

const breakerShape = Object.fromEntries(BREAKER_NAMES.map((name) => [name, tripSchema.nullable()])) as Record<
  BreakerName,
  z.ZodNullable<typeof tripSchema>
>;

/** The zod schema of a persisted `RiskState` (version 1): Decimals as plain decimal strings. */
export const riskStateJsonSchema = z.strictObject({
  version: z.literal(RISK_STATE_VERSION),
  updatedAt: nonNegativeMillis,
  tradingState: z.enum(["active", "reducing", "halted"]),
  tradingStateReason: z.string(),
  killSwitch: z.strictObject({ reason: z.string().min(1), activatedAt: nonNegativeMillis }).nullable(),
  manualReduceOnly: z.strictObject({ reason: z.string().min(1), since: nonNegativeMillis }).nullable(),
  day: z.strictObject({
    start: millis,
    startEquity: decimalText.nullable(),
    cashFlow: decimalText,
    realizedPnl: decimalText,
    breach: z
      .strictObject({ at: nonNegativeMillis, dailyPnl: decimalText, lossPct: decimalText.nullable() })
      .nullable(),
  }),
  lastEquity: decimalText.nullable(),
  peakEquity: decimalText.nullable(),
  consecutiveLosses: z.number().int().min(0),
  venueRequests: z.array(nonNegativeMillis),
  venueErrors: z.array(nonNegativeMillis),
  rejects: z.array(nonNegativeMillis),
  breakers: z.strictObject(breakerShape),
});

/** A `RiskState` as JSON-ready data (what `serializeRiskState` returns and stores save). */
export type RiskStateJson = z.output<typeof riskStateJsonSchema>;

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
  const parsed = riskStateJsonSchema.safeParse(data);
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
