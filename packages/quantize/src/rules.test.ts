import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { D } from "./decimal.js";
import { QuantizeError } from "./errors.js";
import { isOnIncrement } from "./rounding.js";
import {
  type CoinbaseProductRulesJson,
  checkOrderAgainstRules,
  createProductRules,
  notionalToSize,
  type OrderAmounts,
  type ProductRuleName,
  productRulesFromCoinbase,
  type RuleCheckResult,
  sizeToNotional,
} from "./rules.js";
import { incrementArb, nonNegativeDecimalArb } from "./testing/oracle.js";

// Product objects written for these tests in Coinbase's shape, with the sizing values the Coinbase
// docs give for BTC-USD (spot), a small-cap spot product and a CFM nano future. Not recordings.
const btcUsd: CoinbaseProductRulesJson = {
  product_id: "BTC-USD",
  price: "68923.67",
  base_increment: "0.00000001",
  quote_increment: "0.01",
  quote_min_size: "1",
  quote_max_size: "150000000",
  base_min_size: "0.00000001",
  base_max_size: "3400",
  price_increment: "0.01",
  product_type: "SPOT",
  mid_market_price: "",
};
const smallCap: CoinbaseProductRulesJson = {
  product_id: "TONE-USD",
  base_increment: "1",
  quote_increment: "0.00001",
  quote_min_size: "1",
  quote_max_size: "10000000",
  base_min_size: "26.7187147229469674",
  base_max_size: "267187147.2294696735908216",
};
const nanoFuture: CoinbaseProductRulesJson = {
  product_id: "BIP-20DEC30-CDE",
  base_increment: "1",
  quote_increment: "0.01",
  price_increment: "5",
  base_min_size: "1",
  base_max_size: "5000",
  quote_min_size: "0",
  quote_max_size: "100000000",
};

function rulesErrorOf(fn: () => unknown): QuantizeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QuantizeError);
    expect((err as QuantizeError).code).toBe("invalid-rules");
    return err as QuantizeError;
  }
  throw new Error("expected a QuantizeError, nothing was thrown");
}

describe("productRulesFromCoinbase", () => {
  it("reads every rule as an exact Decimal", () => {
    const rules = productRulesFromCoinbase(btcUsd);
    expect(rules.baseIncrement.toFixed()).toBe("0.00000001");
    expect(rules.quoteIncrement.toFixed()).toBe("0.01");
    expect(rules.priceIncrement.toFixed()).toBe("0.01");
    expect(rules.baseMinSize?.toFixed()).toBe("0.00000001");
    expect(rules.baseMaxSize?.toFixed()).toBe("3400");
    expect(rules.quoteMinSize?.toFixed()).toBe("1");
    expect(rules.quoteMaxSize?.toFixed()).toBe("150000000");
    expect(rules.baseIncrement.constructor).toBe(D);
    expect(Object.isFrozen(rules)).toBe(true);
  });

  it("keeps long minimums exactly", () => {
    const rules = productRulesFromCoinbase(smallCap);
    expect(rules.baseMinSize?.toFixed()).toBe("26.7187147229469674");
    expect(rules.baseMaxSize?.toFixed()).toBe("267187147.2294696735908216");
  });

  it("falls back to quote_increment when price_increment is missing or empty", () => {
    expect(productRulesFromCoinbase(smallCap).priceIncrement.toFixed()).toBe("0.00001");
    expect(productRulesFromCoinbase({ ...btcUsd, price_increment: "" }).priceIncrement.toFixed()).toBe(
      "0.01",
    );
    expect(productRulesFromCoinbase(nanoFuture).priceIncrement.toFixed()).toBe("5");
  });

  it("leaves out limits that are missing, null or empty", () => {
    const rules = productRulesFromCoinbase({
      base_increment: "0.001",
      quote_increment: "0.01",
      base_min_size: "",
      base_max_size: null,
    });
    expect(Object.keys(rules).sort()).toEqual(["baseIncrement", "priceIncrement", "quoteIncrement"]);
  });

  it('keeps a zero minimum (CFM futures send quote_min_size "0")', () => {
    expect(productRulesFromCoinbase(nanoFuture).quoteMinSize?.isZero()).toBe(true);
  });

  it("does not mutate its input", () => {
    const input = { ...btcUsd, price_increment: "" };
    const copy = JSON.stringify(input);
    productRulesFromCoinbase(input);
    expect(JSON.stringify(input)).toBe(copy);
  });

  const badFields: readonly [string, CoinbaseProductRulesJson, string][] = [
    ["missing base_increment", { ...btcUsd, base_increment: null }, "base_increment"],
    ["empty base_increment", { ...btcUsd, base_increment: "" }, "base_increment"],
    ["zero base_increment", { ...btcUsd, base_increment: "0" }, "base_increment"],
    ["negative quote_increment", { ...btcUsd, quote_increment: "-0.01" }, "quote_increment"],
    ["garbage price_increment", { ...btcUsd, price_increment: "0.0l" }, "price_increment"],
    ["missing quote_increment", { base_increment: "1" }, "quote_increment"],
    ["garbage base_min_size", { ...btcUsd, base_min_size: "abc" }, "base_min_size"],
    ["negative base_min_size", { ...btcUsd, base_min_size: "-1" }, "base_min_size"],
    ["padded base_max_size", { ...btcUsd, base_max_size: " 3400" }, "base_max_size"],
    ["zero base_max_size", { ...btcUsd, base_max_size: "0" }, "base_max_size"],
    ["Infinity quote_max_size", { ...btcUsd, quote_max_size: "Infinity" }, "quote_max_size"],
    ["zero quote_max_size", { ...btcUsd, quote_max_size: "0" }, "quote_max_size"],
    ["NaN quote_min_size", { ...btcUsd, quote_min_size: "NaN" }, "quote_min_size"],
    ["base min above max", { ...btcUsd, base_min_size: "3401" }, "base_min_size"],
    ["quote min above max", { ...btcUsd, quote_min_size: "150000001" }, "quote_min_size"],
    [
      "a field that is not a string",
      { ...btcUsd, base_max_size: { value: "1" } } as unknown as CoinbaseProductRulesJson,
      "base_max_size",
    ],
  ];
  it.each(badFields)("rejects %s, naming the field", (_label, product, field) => {
    const err = rulesErrorOf(() => productRulesFromCoinbase(product));
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
  });

  it("keeps the underlying parse error as the cause", () => {
    const err = rulesErrorOf(() => productRulesFromCoinbase({ ...btcUsd, base_min_size: "abc" }));
    expect(err.cause).toBeInstanceOf(QuantizeError);
    expect((err.cause as QuantizeError).code).toBe("invalid-decimal");
    expect(err.value).toBe("abc");
  });

  it("rejects something that is not an object", () => {
    const notProducts: unknown[] = [null, "BTC-USD", 5, []];
    for (const p of notProducts) {
      expect(rulesErrorOf(() => productRulesFromCoinbase(p as CoinbaseProductRulesJson)).field).toBe(
        "product",
      );
    }
  });
});

describe("createProductRules", () => {
  it("validates camelCase fields and names them in errors", () => {
    const rules = createProductRules({
      baseIncrement: "0.0001",
      quoteIncrement: new D("0.01"),
      baseMaxSize: 50000,
    });
    expect(rules.priceIncrement.toFixed()).toBe("0.01");
    expect(rules.baseMaxSize?.toFixed()).toBe("50000");
    expect(rulesErrorOf(() => createProductRules({ baseIncrement: "0", quoteIncrement: "0.01" })).field).toBe(
      "baseIncrement",
    );
    expect(
      rulesErrorOf(() => createProductRules({ baseIncrement: "1", quoteIncrement: "1", quoteMaxSize: "-5" }))
        .field,
    ).toBe("quoteMaxSize");
  });
});

function expectViolation(
  result: RuleCheckResult,
  rule: ProductRuleName,
  field: string,
  value: string,
  limit: string,
) {
  expect(result.kind).toBe("violation");
  if (result.kind !== "violation") return;
  expect(result.rule).toBe(rule);
  expect(result.field).toBe(field);
  expect(result.value.toFixed()).toBe(value);
  expect(result.limit.toFixed()).toBe(limit);
  expect(result.message).toContain(rule);
  expect(result.message).toContain(value);
}

describe("checkOrderAgainstRules", () => {
  const btc = productRulesFromCoinbase(btcUsd);
  const tone = productRulesFromCoinbase(smallCap);
  const nano = productRulesFromCoinbase(nanoFuture);

  it("accepts orders that follow every rule", () => {
    expect(checkOrderAgainstRules({ size: "0.001", price: "68923.67" }, btc)).toEqual({ kind: "ok" });
    expect(checkOrderAgainstRules({ size: "0.00000001" }, btc)).toEqual({ kind: "ok" });
    expect(checkOrderAgainstRules({ quoteSize: "25.50" }, btc)).toEqual({ kind: "ok" });
    expect(checkOrderAgainstRules({ size: "100", price: "0.01523" }, tone)).toEqual({ kind: "ok" });
    expect(checkOrderAgainstRules({ size: "3", price: "68895" }, nano)).toEqual({ kind: "ok" });
  });

  it("treats minimums and maximums as inclusive", () => {
    expect(checkOrderAgainstRules({ size: "3400" }, btc).kind).toBe("ok");
    expect(checkOrderAgainstRules({ size: "0.001", price: "1000" }, btc).kind).toBe("ok"); // notional exactly 1
    expect(checkOrderAgainstRules({ quoteSize: "150000000" }, btc).kind).toBe("ok");
  });

  it("reports a price off the tick", () => {
    expectViolation(
      checkOrderAgainstRules({ size: "0.001", price: "68923.675" }, btc),
      "priceIncrement",
      "price",
      "68923.675",
      "0.01",
    );
    expectViolation(
      checkOrderAgainstRules({ size: "1", price: "68892" }, nano),
      "priceIncrement",
      "price",
      "68892",
      "5",
    );
  });

  it("reports a size off the step", () => {
    expectViolation(
      checkOrderAgainstRules({ size: "0.000000015" }, btc),
      "baseIncrement",
      "size",
      "0.000000015",
      "0.00000001",
    );
    expectViolation(checkOrderAgainstRules({ size: "27.5" }, tone), "baseIncrement", "size", "27.5", "1");
  });

  it("reports a size below the minimum or above the maximum", () => {
    expectViolation(
      checkOrderAgainstRules({ size: "26" }, tone),
      "baseMinSize",
      "size",
      "26",
      "26.7187147229469674",
    );
    expectViolation(
      checkOrderAgainstRules({ size: "3400.00000001" }, btc),
      "baseMaxSize",
      "size",
      "3400.00000001",
      "3400",
    );
    expectViolation(checkOrderAgainstRules({ size: "5001" }, nano), "baseMaxSize", "size", "5001", "5000");
  });

  it("reports a notional (size × price) below or above the quote limits", () => {
    expectViolation(
      checkOrderAgainstRules({ size: "0.00001", price: "68923.67" }, btc),
      "quoteMinSize",
      "notional",
      "0.6892367",
      "1",
    );
    expectViolation(
      checkOrderAgainstRules({ size: "3000", price: "68923.67" }, btc),
      "quoteMaxSize",
      "notional",
      "206771010",
      "150000000",
    );
  });

  it("reports a quote size off the quote step, below the minimum or above the maximum", () => {
    expectViolation(
      checkOrderAgainstRules({ quoteSize: "10.005" }, btc),
      "quoteIncrement",
      "quoteSize",
      "10.005",
      "0.01",
    );
    expectViolation(
      checkOrderAgainstRules({ quoteSize: "0.99" }, btc),
      "quoteMinSize",
      "quoteSize",
      "0.99",
      "1",
    );
    expectViolation(
      checkOrderAgainstRules({ quoteSize: "150000000.01" }, btc),
      "quoteMaxSize",
      "quoteSize",
      "150000000.01",
      "150000000",
    );
  });

  it("reports a zero size against the minimum, or the step when there is no minimum", () => {
    expectViolation(checkOrderAgainstRules({ size: "0" }, btc), "baseMinSize", "size", "0", "0.00000001");
    const noMin = createProductRules({ baseIncrement: "0.001", quoteIncrement: "0.01" });
    expectViolation(checkOrderAgainstRules({ size: "0" }, noMin), "baseMinSize", "size", "0", "0.001");
    expectViolation(
      checkOrderAgainstRules({ quoteSize: "0" }, nano),
      "quoteMinSize",
      "quoteSize",
      "0",
      "0.01",
    );
  });

  it("checks the price tick first, then the size", () => {
    const r = checkOrderAgainstRules({ size: "0.000000015", price: "1.001" }, btc);
    expect(r.kind === "violation" && r.rule).toBe("priceIncrement");
  });

  it("does not check limits a product does not have", () => {
    const bare = createProductRules({ baseIncrement: "0.001", quoteIncrement: "0.01" });
    expect(checkOrderAgainstRules({ size: "123456789", price: "1000000" }, bare).kind).toBe("ok");
  });

  it("throws for amounts that are not amounts", () => {
    const bothOrNeither: unknown[] = [{ size: "1", quoteSize: "1" }, { price: "1" }, {}];
    for (const order of bothOrNeither) {
      expect(() => checkOrderAgainstRules(order as OrderAmounts, btc)).toThrow(
        expect.objectContaining({ code: "invalid-order" }),
      );
    }
    expect(() => checkOrderAgainstRules({ size: "-1" }, btc)).toThrow(
      expect.objectContaining({ code: "negative-not-allowed", field: "size" }),
    );
    expect(() => checkOrderAgainstRules({ size: "1", price: "0" }, btc)).toThrow(
      expect.objectContaining({ code: "zero-not-allowed", field: "price" }),
    );
    expect(() => checkOrderAgainstRules({ quoteSize: "1e999" }, btc)).toThrow(
      expect.objectContaining({ code: "invalid-decimal", field: "quoteSize" }),
    );
  });

  it("is exhaustive over its result (compile-time check)", () => {
    const describeResult = (r: RuleCheckResult): string => {
      switch (r.kind) {
        case "ok":
          return "ok";
        case "violation":
          return r.rule;
        default: {
          const never: never = r;
          return never;
        }
      }
    };
    expect(describeResult(checkOrderAgainstRules({ size: "1" }, btc))).toBe("ok");
  });
});

describe("notionalToSize and sizeToNotional", () => {
  it("divides and rounds down to the base increment", () => {
    expect(notionalToSize("100", "68923.67", "0.00000001").toFixed()).toBe("0.00145088");
    expect(notionalToSize("100", "0.01523", "1").toFixed()).toBe("6565");
    expect(notionalToSize("0", "68923.67", "0.00000001").toFixed()).toBe("0");
    expect(notionalToSize("1", "3", "0.25").toFixed()).toBe("0.25");
  });

  it("multiplies exactly", () => {
    expect(sizeToNotional("0.00145088", "68923.67").toFixed()).toBe("99.9999743296");
    expect(sizeToNotional("267187147.2294696735908216", "0.01523").toFixed()).toBe(
      "4069260.252304823128788212968",
    );
  });

  it("refuses a zero price, negative amounts and bad increments", () => {
    expect(() => notionalToSize("1", "0", "1")).toThrow(
      expect.objectContaining({ code: "zero-not-allowed" }),
    );
    expect(() => notionalToSize("-1", "1", "1")).toThrow(
      expect.objectContaining({ code: "negative-not-allowed" }),
    );
    expect(() => notionalToSize("1", "1", "0")).toThrow(
      expect.objectContaining({ code: "invalid-increment" }),
    );
    expect(() => sizeToNotional("-1", "1")).toThrow(
      expect.objectContaining({ code: "negative-not-allowed" }),
    );
  });

  const positivePriceArb = nonNegativeDecimalArb.filter((p) => !new D(p).isZero());

  it("never spends more than the quote amount, and leaves less than one step unspent (property)", () => {
    fc.assert(
      fc.property(nonNegativeDecimalArb, positivePriceArb, incrementArb, (quote, price, increment) => {
        const size = notionalToSize(quote, price, increment);
        expect(isOnIncrement(size, increment)).toBe(true);
        const spent = sizeToNotional(size, price);
        expect(spent.lte(quote)).toBe(true);
        const oneMore = sizeToNotional(size.plus(increment), price);
        expect(oneMore.gt(quote)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
