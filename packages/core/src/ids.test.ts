import { describe, expect, it } from "vitest";
import { InvalidIdError } from "./errors.js";
import {
  accountId,
  clientOrderId,
  createClientOrderIdGenerator,
  createEventIdGenerator,
  eventId,
  instrumentId,
  MAX_ID_LENGTH,
  parseInstrumentId,
  positionId,
  strategyId,
  symbolOf,
  tradeId,
  venue,
  venueOf,
  venueOrderId,
} from "./ids.js";

function catchError(fn: () => unknown): InvalidIdError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidIdError) return error;
    throw error;
  }
  throw new Error("expected an InvalidIdError");
}

describe("instrument ids", () => {
  it("builds SYMBOL.VENUE and parses it back", () => {
    const id = instrumentId("BTC-USD", "COINBASE");
    expect(id).toBe("BTC-USD.COINBASE");
    expect(parseInstrumentId(id)).toEqual({ id, symbol: "BTC-USD", venue: "COINBASE" });
    expect(symbolOf(id)).toBe("BTC-USD");
    expect(venueOf(id)).toBe("COINBASE");
  });

  it("splits at the last dot so symbols may contain dots", () => {
    const parsed = parseInstrumentId("BRK.B.NYSE");
    expect(parsed.symbol).toBe("BRK.B");
    expect(parsed.venue).toBe("NYSE");
    expect(symbolOf(parsed.id)).toBe("BRK.B");
  });

  it.each(["BTC-USD", ".COINBASE", "BTC-USD.", "BTC-USD.coinbase", "BTC USD.COINBASE", ""])(
    "rejects %j",
    (bad) => {
      const err = catchError(() => parseInstrumentId(bad));
      expect(err.code).toBe("invalid-id");
      expect(err.field).toBe("instrumentId");
      expect(err.value).toBe(bad);
      expect(err.message).toContain("SYMBOL.VENUE");
    },
  );

  it("names the bad part when building", () => {
    expect(catchError(() => instrumentId("", "COINBASE")).field).toBe("symbol");
    expect(catchError(() => instrumentId("BTC-USD", "Coin base")).field).toBe("venue");
    expect(catchError(() => instrumentId("X".repeat(MAX_ID_LENGTH), "V")).field).toBe("instrumentId");
  });
});

describe("other ids", () => {
  const builders = { clientOrderId, venueOrderId, tradeId, positionId, strategyId, accountId, eventId };
  for (const [field, build] of Object.entries(builders)) {
    it(`${field} accepts printable ids and rejects empty, long, whitespace and non-strings`, () => {
      expect(build("abc-123_X:/")).toBe("abc-123_X:/");
      expect(build("x".repeat(MAX_ID_LENGTH))).toHaveLength(MAX_ID_LENGTH);
      for (const bad of ["", "x".repeat(MAX_ID_LENGTH + 1), "a b", "tab\t", "é", 42 as unknown as string]) {
        const err = catchError(() => build(bad));
        expect(err.field).toBe(field);
        expect(err.name).toBe("InvalidIdError");
      }
    });
  }

  it("venue codes are upper-case letters, digits and underscore", () => {
    expect(venue("SIM_1")).toBe("SIM_1");
    expect(() => venue("sim")).toThrow(InvalidIdError);
    expect(() => venue("")).toThrow(InvalidIdError);
    expect(() => venue("A".repeat(33))).toThrow(InvalidIdError);
  });
});

describe("id sequences", () => {
  it("are deterministic and count", () => {
    const a = createEventIdGenerator("sim");
    const b = createEventIdGenerator("sim");
    expect([a.next(), a.next(), a.next()]).toEqual(["sim-1", "sim-2", "sim-3"]);
    expect([b.next(), b.next(), b.next()]).toEqual(["sim-1", "sim-2", "sim-3"]);
    expect(a.count).toBe(3);
    expect(createEventIdGenerator().next()).toBe("evt-1");
  });

  it("continue after a start value", () => {
    const ids = createClientOrderIdGenerator("run7", 41);
    expect(ids.next()).toBe("run7-42");
    expect(ids.count).toBe(1);
  });

  it("reject bad prefixes and starts", () => {
    expect(() => createEventIdGenerator("has space")).toThrow(InvalidIdError);
    expect(() => createClientOrderIdGenerator("")).toThrow(InvalidIdError);
    expect(() => createEventIdGenerator("e", -1)).toThrow(InvalidIdError);
    expect(() => createEventIdGenerator("e", 1.5)).toThrow(InvalidIdError);
  });
});
