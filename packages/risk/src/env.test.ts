import { describe, expect, it } from "vitest";
import type { RiskConfig } from "./config.js";
import {
  RISK_ENV_VARIABLES,
  riskConfigFromEnv,
  riskConfigFromEnvOrThrow,
  riskEnvVariableName,
} from "./env.js";
import { RiskConfigError } from "./errors.js";

function ok(env: Record<string, string | undefined>): RiskConfig {
  const result = riskConfigFromEnv(env);
  if (!result.ok) throw new Error(`unexpected issues: ${JSON.stringify(result.issues)}`);
  return result.config;
}

function valueAt(config: RiskConfig, path: readonly string[]): unknown {
  let current: unknown = config;
  for (const key of path) current = (current as Record<string, unknown>)[key];
  return current;
}

function plain(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "toFixed" in value) return String(value);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** One valid text per variable and the value it must produce. */
const VALID: Readonly<Record<string, readonly [string, unknown]>> = {
  RISK_MAX_DAILY_LOSS_PCT: ["0.03", "0.03"],
  RISK_DAILY_RESET_UTC: ["13:30", "13:30"],
  RISK_REDUCE_ONLY_MODE: ["yes", true],
  RISK_MAX_LEVERAGE: ["3", "3"],
  RISK_MAX_LEVERAGE_PER_SYMBOL: [
    "BTC-PERP-INTX:2,ETH-PERP-INTX:1.5",
    { "BTC-PERP-INTX": "2", "ETH-PERP-INTX": "1.5" },
  ],
  RISK_MAX_POSITION_NOTIONAL: ["100000", "100000"],
  RISK_MAX_POSITION_NOTIONAL_PER_SYMBOL: ["BTC-USD.COINBASE:5000", { "BTC-USD.COINBASE": "5000" }],
  RISK_MAX_TOTAL_NOTIONAL: ["250000.50", "250000.5"],
  RISK_MAX_ORDER_NOTIONAL: ["20000", "20000"],
  RISK_MAX_NET_LONG_NOTIONAL: ["150000", "150000"],
  RISK_MAX_NET_SHORT_NOTIONAL: ["75000", "75000"],
  RISK_PRICE_BAND_PCT: ["2%", "0.02"],
  RISK_MAX_OPEN_ORDERS: ["20", 20],
  RISK_MAX_ORDERS_PER_MINUTE: ["30", 30],
  RISK_MIN_LIQUIDATION_DISTANCE_PCT: ["0", "0"],
  RISK_STALE_MARKET_DATA_MS: ["15000", 15000],
  RISK_MARK_FUTURE_TOLERANCE_MS: ["0", 0],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_ENABLED: ["false", false],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_MAX_COUNT: ["3", 3],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_COOLDOWN_MS: ["600000", 600000],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_ON_TRIP: ["halted", "halted"],
  RISK_BREAKERS_DRAWDOWN_ENABLED: ["0", false],
  RISK_BREAKERS_DRAWDOWN_MAX_PCT: ["0.2", "0.2"],
  RISK_BREAKERS_DRAWDOWN_COOLDOWN_MS: ["3600000", 3600000],
  RISK_BREAKERS_DRAWDOWN_ON_TRIP: ["Reducing", "reducing"],
  RISK_BREAKERS_VOLATILITY_ENABLED: ["ON", true],
  RISK_BREAKERS_VOLATILITY_MAX_RATIO: ["2.5", 2.5],
  RISK_BREAKERS_VOLATILITY_COOLDOWN_MS: ["60000", 60000],
  RISK_BREAKERS_VOLATILITY_ON_TRIP: ["halted", "halted"],
  RISK_BREAKERS_VENUE_ERRORS_ENABLED: ["1", true],
  RISK_BREAKERS_VENUE_ERRORS_MAX_RATE: ["0.25", 0.25],
  RISK_BREAKERS_VENUE_ERRORS_MIN_REQUESTS: ["20", 20],
  RISK_BREAKERS_VENUE_ERRORS_WINDOW_MS: ["120000", 120000],
  RISK_BREAKERS_VENUE_ERRORS_COOLDOWN_MS: ["900000", 900000],
  RISK_BREAKERS_VENUE_ERRORS_ON_TRIP: ["reducing", "reducing"],
  RISK_BREAKERS_REJECTS_ENABLED: ["no", false],
  RISK_BREAKERS_REJECTS_MAX_COUNT: ["10", 10],
  RISK_BREAKERS_REJECTS_WINDOW_MS: ["30000", 30000],
  RISK_BREAKERS_REJECTS_COOLDOWN_MS: ["120000", 120000],
  RISK_BREAKERS_REJECTS_ON_TRIP: ["halted", "halted"],
};

/** One invalid text per variable and a fragment of the reason. */
const INVALID: Readonly<Record<string, readonly [string, string]>> = {
  RISK_MAX_DAILY_LOSS_PCT: ["5", "0.05 means 5%"],
  RISK_DAILY_RESET_UTC: ["25:00", "HH:MM"],
  RISK_REDUCE_ONLY_MODE: ["maybe", "true/false"],
  RISK_MAX_LEVERAGE: ["abc", "not a decimal number"],
  RISK_MAX_LEVERAGE_PER_SYMBOL: ["BTC-PERP-INTX", "is not SYMBOL:VALUE"],
  RISK_MAX_POSITION_NOTIONAL: ["-100", "greater than 0"],
  RISK_MAX_POSITION_NOTIONAL_PER_SYMBOL: ["BTC-USD:x", "not a decimal number"],
  RISK_MAX_TOTAL_NOTIONAL: ["1e999", "not a decimal number"],
  RISK_MAX_ORDER_NOTIONAL: ["0", "greater than 0"],
  RISK_MAX_NET_LONG_NOTIONAL: ["lots", "not a decimal number"],
  RISK_MAX_NET_SHORT_NOTIONAL: ["NaN", "not a decimal number"],
  RISK_PRICE_BAND_PCT: ["150%", "fraction in (0, 1)"],
  RISK_MAX_OPEN_ORDERS: ["2.5", "whole number"],
  RISK_MAX_ORDERS_PER_MINUTE: ["0", "at least 1"],
  RISK_MIN_LIQUIDATION_DISTANCE_PCT: ["-0.1", "fraction in [0, 1)"],
  RISK_STALE_MARKET_DATA_MS: ["30s", "whole number"],
  RISK_MARK_FUTURE_TOLERANCE_MS: ["-5", "whole number"],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_ENABLED: ["enabled", "true/false"],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_MAX_COUNT: ["-3", "whole number"],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_COOLDOWN_MS: ["10m", "whole number"],
  RISK_BREAKERS_CONSECUTIVE_LOSSES_ON_TRIP: ["stop", '"reducing" or "halted"'],
  RISK_BREAKERS_DRAWDOWN_ENABLED: ["2", "true/false"],
  RISK_BREAKERS_DRAWDOWN_MAX_PCT: ["15", "fraction in (0, 1)"],
  RISK_BREAKERS_DRAWDOWN_COOLDOWN_MS: ["0", "at least 1"],
  RISK_BREAKERS_DRAWDOWN_ON_TRIP: ["active", '"reducing" or "halted"'],
  RISK_BREAKERS_VOLATILITY_ENABLED: ["y", "true/false"],
  RISK_BREAKERS_VOLATILITY_MAX_RATIO: ["three", "must be a number"],
  RISK_BREAKERS_VOLATILITY_COOLDOWN_MS: ["1e3", "whole number"],
  RISK_BREAKERS_VOLATILITY_ON_TRIP: ["", ""],
  RISK_BREAKERS_VENUE_ERRORS_ENABLED: ["null", "true/false"],
  RISK_BREAKERS_VENUE_ERRORS_MAX_RATE: ["50", "(0, 1]"],
  RISK_BREAKERS_VENUE_ERRORS_MIN_REQUESTS: ["0", "at least 1"],
  RISK_BREAKERS_VENUE_ERRORS_WINDOW_MS: ["-1", "whole number"],
  RISK_BREAKERS_VENUE_ERRORS_COOLDOWN_MS: ["soon", "whole number"],
  RISK_BREAKERS_VENUE_ERRORS_ON_TRIP: ["kill", '"reducing" or "halted"'],
  RISK_BREAKERS_REJECTS_ENABLED: ["t", "true/false"],
  RISK_BREAKERS_REJECTS_MAX_COUNT: ["five", "whole number"],
  RISK_BREAKERS_REJECTS_WINDOW_MS: ["99999999999999999", "whole number"],
  RISK_BREAKERS_REJECTS_COOLDOWN_MS: ["0.5", "whole number"],
  RISK_BREAKERS_REJECTS_ON_TRIP: ["HALT", '"reducing" or "halted"'],
};

describe("RISK_ENV_VARIABLES", () => {
  it("names each variable RISK_ + the config path in SCREAMING_SNAKE_CASE", () => {
    expect(riskEnvVariableName(["maxDailyLossPct"])).toBe("RISK_MAX_DAILY_LOSS_PCT");
    expect(riskEnvVariableName(["breakers", "venueErrors", "maxRate"])).toBe(
      "RISK_BREAKERS_VENUE_ERRORS_MAX_RATE",
    );
    for (const spec of RISK_ENV_VARIABLES) expect(spec.variable).toBe(riskEnvVariableName(spec.path));
  });

  it("includes the old bot's three names", () => {
    const names = RISK_ENV_VARIABLES.map((v) => v.variable);
    expect(names).toEqual(
      expect.arrayContaining(["RISK_MAX_DAILY_LOSS_PCT", "RISK_REDUCE_ONLY_MODE", "RISK_MAX_LEVERAGE"]),
    );
  });

  it("is covered by the valid and invalid tables below", () => {
    const names = RISK_ENV_VARIABLES.map((v) => v.variable).sort();
    expect(Object.keys(VALID).sort()).toEqual(names);
    expect(Object.keys(INVALID).sort()).toEqual(names);
  });
});

describe("riskConfigFromEnv", () => {
  it("an empty environment gives the defaults and no warnings", () => {
    const result = riskConfigFromEnv({});
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it.each(RISK_ENV_VARIABLES.map((spec) => [spec.variable, spec.path] as const))(
    "%s: a valid value",
    (variable, path) => {
      const [text, expected] = VALID[variable] ?? ["", undefined];
      expect(plain(valueAt(ok({ [variable]: text }), path))).toEqual(expected);
    },
  );

  it.each(RISK_ENV_VARIABLES.map((spec) => spec.variable))(
    "%s: an invalid value names the variable",
    (variable) => {
      const [text, reason] = INVALID[variable] ?? ["", ""];
      if (text === "") {
        // Blank means unset, never an error.
        expect(riskConfigFromEnv({ [variable]: "  " }).ok).toBe(true);
        return;
      }
      const result = riskConfigFromEnv({ [variable]: text });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]?.variable).toBe(variable);
      // The value is shown only when it is short and number-shaped; otherwise only its length.
      const shown = /^[0-9eE.+\-%: ]{1,32}$/.test(text) ? text : `(${text.length} characters, not shown)`;
      expect(result.issues[0]?.value).toBe(shown);
      expect(result.issues[0]?.reason).toContain(reason);
    },
  );

  it("booleans accept true/false, 1/0, yes/no, on/off in any case, with surrounding spaces", () => {
    for (const text of ["true", "TRUE", "1", "yes", "Yes", "on", " true "]) {
      expect(ok({ RISK_REDUCE_ONLY_MODE: text }).reduceOnlyMode).toBe(true);
    }
    for (const text of ["false", "False", "0", "no", "NO", "off"]) {
      expect(ok({ RISK_REDUCE_ONLY_MODE: text }).reduceOnlyMode).toBe(false);
    }
  });

  it("percentages: 0.05 and 5% both mean five percent, 5 is rejected with a hint", () => {
    expect(ok({ RISK_MAX_DAILY_LOSS_PCT: "0.05" }).maxDailyLossPct.toString()).toBe("0.05");
    expect(ok({ RISK_MAX_DAILY_LOSS_PCT: "5%" }).maxDailyLossPct.toString()).toBe("0.05");
    const result = riskConfigFromEnv({ RISK_MAX_DAILY_LOSS_PCT: "5" });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: "maxDailyLossPct",
        variable: "RISK_MAX_DAILY_LOSS_PCT",
        value: "5",
        reason:
          'must be a fraction in (0, 1): 0.05 means 5% (a "%" suffix is accepted too, e.g. "5%"); got 5',
      },
    ]);
  });

  it("per-symbol maps: JSON form, blank entries, ids with dots, errors for duplicates and bad values", () => {
    const json = ok({ RISK_MAX_LEVERAGE_PER_SYMBOL: '{"BTC-USD.COINBASE": "2", "ETH-USD": 3}' });
    expect(plain(json.maxLeveragePerSymbol)).toEqual({ "BTC-USD.COINBASE": "2", "ETH-USD": "3" });
    const spaced = ok({ RISK_MAX_LEVERAGE_PER_SYMBOL: " BTC-USD : 2 , , ETH-USD:3," });
    expect(plain(spaced.maxLeveragePerSymbol)).toEqual({ "BTC-USD": "2", "ETH-USD": "3" });
    const duplicate = riskConfigFromEnv({ RISK_MAX_LEVERAGE_PER_SYMBOL: "BTC-USD:2,BTC-USD:3" });
    expect(duplicate.ok ? "" : duplicate.issues[0]?.reason).toBe("entry 2 lists a symbol a second time");
    const badJson = riskConfigFromEnv({ RISK_MAX_LEVERAGE_PER_SYMBOL: "{nope" });
    expect(badJson.ok ? "" : badJson.issues[0]?.reason).toContain("not valid JSON");
    const arrayJson = riskConfigFromEnv({ RISK_MAX_LEVERAGE_PER_SYMBOL: "[1]" });
    expect(arrayJson.ok).toBe(false);
    const badValue = riskConfigFromEnv({ RISK_MAX_LEVERAGE_PER_SYMBOL: "BTC-USD:2,ETH-USD:-1" });
    expect(badValue.ok ? [] : badValue.issues).toEqual([
      {
        path: "maxLeveragePerSymbol",
        variable: "RISK_MAX_LEVERAGE_PER_SYMBOL",
        value: "(20 characters, not shown)",
        reason: "entry 2: must be greater than 0, got -1",
      },
    ]);
  });

  it("treats blank values as unset", () => {
    expect(ok({ RISK_MAX_LEVERAGE: "", RISK_MAX_ORDER_NOTIONAL: "   " }).maxLeverage.toString()).toBe("5");
  });

  it("reports every bad variable at once", () => {
    const result = riskConfigFromEnv({
      RISK_MAX_LEVERAGE: "abc",
      RISK_MAX_OPEN_ORDERS: "x",
      RISK_MAX_DAILY_LOSS_PCT: "7",
    });
    expect(result.ok ? [] : result.issues.map((i) => i.variable).sort()).toEqual([
      "RISK_MAX_DAILY_LOSS_PCT",
      "RISK_MAX_LEVERAGE",
      "RISK_MAX_OPEN_ORDERS",
    ]);
  });

  it("warns about unknown RISK_ variables and the old bot's renamed ones, ignores other variables", () => {
    const result = riskConfigFromEnv({
      RISK_MAX_LEVRAGE: "3",
      RISK_MAX_POSITION_USD: "1000",
      PATH: "/usr/bin",
      COINBASE_API_KEY: "secret",
    });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      {
        path: "",
        variable: "RISK_MAX_LEVRAGE",
        reason: "unknown RISK_ variable (a typo?); it is not read",
      },
      {
        path: "",
        variable: "RISK_MAX_POSITION_USD",
        reason: "not read any more; use RISK_MAX_POSITION_NOTIONAL",
      },
    ]);
    const strict = riskConfigFromEnv({ RISK_MAX_LEVRAGE: "3" }, { unknownVariables: "error" });
    expect(strict.ok ? [] : strict.issues.map((i) => i.variable)).toEqual(["RISK_MAX_LEVRAGE"]);
  });

  it("overrides a base object; base problems are reported by path", () => {
    const config = ok({ RISK_MAX_LEVERAGE: "2" });
    expect(config.maxLeverage.toString()).toBe("2");
    const merged = riskConfigFromEnv(
      { RISK_BREAKERS_DRAWDOWN_MAX_PCT: "0.1", RISK_MAX_LEVERAGE_PER_SYMBOL: "ETH-USD:2" },
      {
        base: {
          maxLeverage: 4,
          breakers: { drawdown: { onTrip: "reducing" } },
          maxLeveragePerSymbol: { "BTC-USD": 3 },
        },
      },
    );
    if (!merged.ok) throw new Error("expected ok");
    expect(merged.config.maxLeverage.toString()).toBe("4");
    expect(merged.config.breakers.drawdown.onTrip).toBe("reducing");
    expect(merged.config.breakers.drawdown.maxPct.toString()).toBe("0.1");
    // A per-symbol variable replaces the base map rather than merging into it.
    expect(Object.keys(merged.config.maxLeveragePerSymbol)).toEqual(["ETH-USD"]);
    const badBase = riskConfigFromEnv({}, { base: { maxOpenOrders: 0 } });
    expect(badBase.ok ? [] : badBase.issues).toEqual([
      { path: "maxOpenOrders", value: "0", reason: "must be at least 1" },
    ]);
  });
});

describe("riskConfigFromEnvOrThrow", () => {
  it("returns the config or throws RiskConfigError naming the variables", () => {
    expect(riskConfigFromEnvOrThrow({ RISK_MAX_LEVERAGE: "3" }).maxLeverage.toString()).toBe("3");
    let error: unknown;
    try {
      riskConfigFromEnvOrThrow({ RISK_MAX_LEVERAGE: "abc", RISK_REDUCE_ONLY_MODE: "perhaps" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RiskConfigError);
    const message = (error as RiskConfigError).message;
    expect(message).toContain("RISK_MAX_LEVERAGE: not a decimal number");
    expect(message).toContain("RISK_REDUCE_ONLY_MODE: must be true/false");
    // Issues come in the order of RISK_ENV_VARIABLES.
    expect((error as RiskConfigError).issues.map((i) => i.value)).toEqual([
      "(7 characters, not shown)",
      "(3 characters, not shown)",
    ]);
  });
});

describe("riskConfigFromEnv with hostile input (issue 11)", () => {
  type AnyFn = (...args: unknown[]) => unknown;
  const untyped = riskConfigFromEnv as unknown as AnyFn;
  const issuesOf = (result: unknown) => {
    const r = result as ReturnType<typeof riskConfigFromEnv>;
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.issues;
  };

  it("an env that is not an object of strings is an issue, never the defaults", () => {
    for (const env of [5, [], null, "RISK_MAX_LEVERAGE=3", undefined]) {
      expect(issuesOf(untyped(env))).toEqual([
        {
          path: "",
          reason: expect.stringMatching(/^the environment must be an object of variable names to strings/),
        },
      ]);
    }
  });

  it("a non-string value is an issue naming the variable, not a TypeError", () => {
    expect(issuesOf(untyped({ RISK_MAX_LEVERAGE: 3 }))).toEqual([
      {
        path: "maxLeverage",
        variable: "RISK_MAX_LEVERAGE",
        reason: "must be a string, as environment values are (got a number)",
      },
    ]);
    expect(issuesOf(untyped({ RISK_REDUCE_ONLY_MODE: { yes: true } }))[0]?.variable).toBe(
      "RISK_REDUCE_ONLY_MODE",
    );
  });

  it("bad options are issues", () => {
    expect(issuesOf(untyped({}, null))[0]?.reason).toBe("options must be an object (got null)");
    expect(issuesOf(untyped({}, { unknownVariables: "ignore" }))[0]?.reason).toContain("unknownVariables");
    expect(issuesOf(untyped({}, { base: [1] }))[0]?.reason).toBe(
      "options.base must be a configuration object (got an array)",
    );
  });

  it("an environment whose reads throw is an issue, and the thrown text is not copied", () => {
    const env = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("sk-live-0123456789abcdef");
        },
        getOwnPropertyDescriptor() {
          throw new Error("sk-live-0123456789abcdef");
        },
      },
    );
    const issues = issuesOf(untyped(env));
    expect(issues).toEqual([
      { path: "", reason: "the environment or the options could not be read (reading them threw)" },
    ]);
  });

  it("never repeats a value that could be a secret", () => {
    const secret = "sk-live-0123456789abcdef";
    const result = riskConfigFromEnv(
      {
        RISK_API_SECRET: secret,
        RISK_MAX_LEVERAGE: secret,
        RISK_MAX_LEVERAGE_PER_SYMBOL: `${secret},BTC-USD:2`,
        RISK_MAX_POSITION_NOTIONAL_PER_SYMBOL: `BTC-USD:${secret}`,
      },
      { unknownVariables: "warn" },
    );
    const text = JSON.stringify(result);
    expect(text).not.toContain("sk-live");
    expect(result.warnings).toEqual([
      { path: "", variable: "RISK_API_SECRET", reason: "unknown RISK_ variable (a typo?); it is not read" },
    ]);
  });
});
