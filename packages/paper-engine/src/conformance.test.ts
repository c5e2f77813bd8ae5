import { createBar, type ExecutionEvent, type ExecutionEventHandler } from "@gpt/core";
import {
  type ConformanceMarket,
  type ConformanceVenue,
  EXECUTION_CONFORMANCE_CHECKS,
  type ExecutionConformanceFactory,
  runExecutionConformance,
} from "@gpt/core/conformance";
import { D, type Decimal } from "@gpt/quantize";
import { describe, expect, it } from "vitest";
import { PaperEngine } from "./engine.js";
import { PERP, SPOT } from "./testing/fixtures.js";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** A fresh paper engine, funded, that has traded once at 60,000; bars of one price drive it. */
function paperVenue(market: ConformanceMarket): ConformanceVenue {
  const instrument = market === "spot" ? SPOT : PERP;
  const engine = new PaperEngine(
    market === "spot"
      ? {
          accountType: "cash",
          instruments: [SPOT],
          initialBalances: { USD: "1000000" },
          volumeParticipation: 1,
        }
      : {
          accountType: "margin",
          instruments: [PERP],
          initialBalances: { USD: "15000" },
          leverage: { [PERP.id]: "10" },
          volumeParticipation: 1,
        },
  );
  let bars = 0;
  const trade = (price: Decimal, quantity?: Decimal): void => {
    const p = price.toNumber();
    engine.onBar(
      createBar({
        instrumentId: instrument.id,
        intervalMs: MINUTE,
        tsOpen: T0 + bars * MINUTE,
        open: p,
        high: p,
        low: p,
        close: p,
        volume: quantity === undefined ? 1e9 : quantity.toNumber(),
      }),
    );
    bars += 1;
  };
  const price = D("60000");
  trade(price);
  return {
    port: engine,
    instrument,
    price,
    quantity: D("1"),
    driver: { trade, settle: () => Promise.resolve(), now: () => engine.now() },
  };
}

const paperFactory: ExecutionConformanceFactory = {
  name: "paper-engine",
  capabilities: {
    "partial-fill": true,
    modify: true,
    // A simulated venue always answers: it cannot produce an unknown outcome.
    "outcome-unknown": false,
    "mass-status": true,
    liquidation: true,
  },
  create: paperVenue,
};

describe("the ExecutionPort conformance suite on the paper engine", () => {
  it("passes every check the engine supports and reports outcome-unknown as unsupported", async () => {
    const results = await runExecutionConformance(paperFactory);
    expect(results.map((r) => r.name)).toEqual(EXECUTION_CONFORMANCE_CHECKS.map((c) => c.name));
    const summary = results.map((r) => [r.capability, r.status, r.detail]);
    expect(summary).toEqual(
      EXECUTION_CONFORMANCE_CHECKS.map((c) =>
        c.capability === "outcome-unknown"
          ? ["outcome-unknown", "unsupported", "paper-engine declares no outcome-unknown capability"]
          : [c.capability, "passed", undefined],
      ),
    );
  });
});

describe("the suite fails a venue that does not conform", () => {
  /** The paper engine with its `OrderAccepted` events dropped. */
  function dropAccepts(market: ConformanceMarket): ConformanceVenue {
    const venue = paperVenue(market);
    const engine = venue.port;
    const port = Object.create(engine) as PaperEngine;
    port.onEvent = (handler: ExecutionEventHandler) =>
      engine.onEvent((e: ExecutionEvent) => {
        if (e.type !== "OrderAccepted") handler(e);
      });
    return { ...venue, port };
  }

  it("reports the failed checks with the reason", async () => {
    const results = await runExecutionConformance({ ...paperFactory, create: dropAccepts });
    const submit = results.find((r) => r.name.startsWith("submit:"));
    expect(submit?.status).toBe("failed");
    expect(submit?.detail).toBe(
      "a resting limit: expected events [OrderSubmitted, OrderAccepted], got [OrderSubmitted]",
    );
    // The state machine accepts a fill without a prior accept (venues may skip it), so the fill
    // checks still pass; the checks that expect the accept fail.
    expect(results.filter((r) => r.status === "failed").map((r) => r.name.split(":")[0])).toEqual([
      "submit",
      "cancel",
      "modify",
    ]);
  });

  it("fails a check whose capability the factory does not declare", async () => {
    const { liquidation: _, ...rest } = paperFactory.capabilities;
    const results = await runExecutionConformance(
      { ...paperFactory, capabilities: rest as typeof paperFactory.capabilities },
      { only: [EXECUTION_CONFORMANCE_CHECKS.at(-1)?.name ?? ""] },
    );
    expect(results).toEqual([
      {
        name: EXECUTION_CONFORMANCE_CHECKS.at(-1)?.name,
        capability: "liquidation",
        status: "failed",
        detail: "paper-engine does not declare the liquidation capability (true or false)",
      },
    ]);
  });
});
