import { D, type Decimal } from "@gpt/quantize";
import { CommandValidationError, describeValue, type ValidationIssue } from "./errors.js";
import { idProblem, instrumentIdProblem } from "./ids.js";
import type { Instrument } from "./instruments.js";
import { MARGIN_TYPES, ORDER_SIDES, type OrderSpec, TIME_IN_FORCES, type TradingCommand } from "./orders.js";

// Convention: `validate*` functions return the problems as data (an empty array means valid) and
// never throw, whatever they are given (untyped callers and JSON included); `assert*` and the
// `*Order` builders throw a `CommandValidationError` listing every problem. Messages name the field
// and describe the value with `describeValue`, which never repeats text that could be a secret.

/** The command types `validateCommand` knows. */
const COMMAND_TYPES: readonly string[] = [
  "SubmitOrder",
  "SubmitBracket",
  "CancelOrder",
  "ModifyOrder",
  "CancelAllOrders",
];

function issue(field: string, code: string, message: string): ValidationIssue {
  return { field, code, message };
}

type Loose = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The Decimal methods validation calls: anything lacking one is not a Decimal here. */
const DECIMAL_METHODS = ["isFinite", "gt", "lt", "mod", "mul", "isZero", "toString"] as const;

function isDecimalValue(value: unknown): value is Decimal {
  if (value instanceof D) return true;
  if (typeof value !== "object" || value === null) return false;
  for (const method of DECIMAL_METHODS) {
    if (typeof (value as Record<string, unknown>)[method] !== "function") return false;
  }
  return true;
}

/** A finite Decimal, else one `not-a-decimal` issue. */
function checkDecimal(issues: ValidationIssue[], field: string, value: unknown): value is Decimal {
  if (!isDecimalValue(value) || value.isFinite() !== true) {
    issues.push(issue(field, "not-a-decimal", `must be a finite Decimal (got ${describeValue(value)})`));
    return false;
  }
  return true;
}

function checkPositive(issues: ValidationIssue[], field: string, value: unknown): value is Decimal {
  if (!checkDecimal(issues, field, value)) return false;
  if (!value.gt(0)) {
    issues.push(issue(field, "not-positive", `must be > 0 (got ${describeValue(value)})`));
    return false;
  }
  return true;
}

function checkTimestamp(issues: ValidationIssue[], field: string, value: unknown): boolean {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    issues.push(
      issue(field, "invalid-timestamp", `must be a non-negative integer of ms (got ${describeValue(value)})`),
    );
    return false;
  }
  return true;
}

function checkId(issues: ValidationIssue[], field: string, value: unknown): boolean {
  const why = idProblem(value);
  if (why === undefined) return true;
  issues.push(issue(field, "invalid-id", `${why} (got ${describeValue(value)})`));
  return false;
}

function checkInstrumentId(issues: ValidationIssue[], field: string, value: unknown): boolean {
  const why = instrumentIdProblem(value);
  if (why === undefined) return true;
  issues.push(issue(field, "invalid-id", `${why} (got ${describeValue(value)})`));
  return false;
}

function oneOf(
  issues: ValidationIssue[],
  field: string,
  code: string,
  allowed: readonly string[],
  value: unknown,
): boolean {
  if (typeof value === "string" && allowed.includes(value)) return true;
  issues.push(issue(field, code, `must be one of ${allowed.join(", ")} (got ${describeValue(value)})`));
  return false;
}

/**
 * Runs a validator body; anything it throws (a hostile getter or method on the input) becomes one
 * `malformed` issue, so a `validate*` function keeps its promise never to throw. The thrown message
 * is not copied (it may come from the input).
 */
function guarded(field: string, body: (issues: ValidationIssue[]) => void): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  try {
    body(issues);
  } catch (error) {
    const kind = error instanceof Error ? error.name : typeof error;
    issues.push(issue(field, "malformed", `could not be read (reading it threw ${describeKind(kind)})`));
  }
  return issues;
}

function describeKind(name: string): string {
  return /^[A-Za-z]{1,40}$/.test(name) ? `a ${name}` : "an error";
}

function specIssues(issues: ValidationIssue[], spec: unknown, path: string): void {
  const f = (name: string) => `${path}.${name}`;
  if (!isRecord(spec)) {
    issues.push(issue(path, "not-an-object", `must be an order spec object (got ${describeValue(spec)})`));
    return;
  }
  checkId(issues, f("clientOrderId"), spec.clientOrderId);
  checkInstrumentId(issues, f("instrumentId"), spec.instrumentId);
  oneOf(issues, f("side"), "invalid-side", ORDER_SIDES, spec.side);
  checkPositive(issues, f("quantity"), spec.quantity);
  const tif = spec.timeInForce;
  oneOf(issues, f("timeInForce"), "invalid-time-in-force", TIME_IN_FORCES, tif);
  if (tif === "GTD") {
    if (spec.expireTime === undefined) {
      issues.push(issue(f("expireTime"), "gtd-without-expire-time", "GTD orders need an expireTime"));
    } else {
      checkTimestamp(issues, f("expireTime"), spec.expireTime);
    }
  } else if (spec.expireTime !== undefined) {
    issues.push(issue(f("expireTime"), "expire-time-without-gtd", "only GTD orders take an expireTime"));
  }
  if (typeof spec.reduceOnly !== "boolean") {
    issues.push(
      issue(
        f("reduceOnly"),
        "not-a-boolean",
        `must be true or false (got ${describeValue(spec.reduceOnly)})`,
      ),
    );
  }
  const leverage = spec.leverage;
  if (leverage !== undefined && checkPositive(issues, f("leverage"), leverage) && leverage.lt(1)) {
    issues.push(issue(f("leverage"), "leverage-below-one", `must be >= 1 (got ${describeValue(leverage)})`));
  }
  if (spec.marginType !== undefined) {
    oneOf(issues, f("marginType"), "invalid-margin-type", MARGIN_TYPES, spec.marginType);
  }
  const type = spec.type;
  if (type !== "limit" && spec.postOnly === true) {
    issues.push(
      issue(
        f("postOnly"),
        "post-only-not-limit",
        `postOnly is only for limit orders (got ${describeValue(type)})`,
      ),
    );
  }
  switch (type) {
    case "market":
      if (tif !== "IOC" && tif !== "FOK") {
        issues.push(
          issue(
            f("timeInForce"),
            "market-not-immediate",
            `market orders are IOC or FOK (got ${describeValue(tif)})`,
          ),
        );
      }
      return;
    case "limit":
      checkPositive(issues, f("price"), spec.price);
      if (typeof spec.postOnly !== "boolean") {
        issues.push(
          issue(
            f("postOnly"),
            "not-a-boolean",
            `must be true or false (got ${describeValue(spec.postOnly)})`,
          ),
        );
      } else if (spec.postOnly && (tif === "IOC" || tif === "FOK")) {
        issues.push(issue(f("postOnly"), "post-only-immediate", `postOnly cannot be ${tif}`));
      }
      return;
    case "stop":
    case "stop-limit":
      if (type === "stop-limit") checkPositive(issues, f("price"), spec.price);
      checkPositive(issues, f("triggerPrice"), spec.triggerPrice);
      if (tif !== "GTC" && tif !== "GTD") {
        issues.push(
          issue(
            f("timeInForce"),
            "stop-not-resting",
            `stop orders are GTC or GTD (got ${describeValue(tif)})`,
          ),
        );
      }
      return;
    default:
      issues.push(issue(f("type"), "invalid-type", `unknown order type (got ${describeValue(type)})`));
  }
}

/**
 * Checks an order spec on its own (no instrument needed). Rules:
 * - `clientOrderId` is a valid id and `instrumentId` a valid `SYMBOL.VENUE`;
 * - `side`, `type`, `timeInForce`, `marginType` are known values; `quantity` > 0;
 * - `limit`/`stop-limit` need `price` > 0; `stop`/`stop-limit` need `triggerPrice` > 0;
 * - `GTD` needs `expireTime`; other time-in-force values must not have one;
 * - `market` orders are `IOC` or `FOK`; `stop`/`stop-limit` orders are `GTC` or `GTD`;
 * - `postOnly` only on `limit` orders, and never with `IOC`/`FOK`;
 * - `leverage` (if given) >= 1.
 *
 * Never throws, whatever `spec` is (`null`, a string, an object with hostile getters).
 *
 * @param path prefix for issue field names (default `"order"`).
 * @returns every problem found; empty if the spec is valid.
 */
export function validateOrderSpec(spec: OrderSpec, path = "order"): ValidationIssue[] {
  const at = pathOf(path);
  return guarded(at, (issues) => specIssues(issues, spec, at));
}

/** Field paths are labels chosen in code; anything else falls back to `"order"`. */
const PATH = /^[A-Za-z_$][\w$.[\]-]{0,63}$/;

function pathOf(path: unknown): string {
  if (path === "order" || path === "entry") return path;
  return typeof path === "string" && PATH.test(path) ? path : "order";
}

function isMultiple(value: Decimal, increment: Decimal): boolean {
  return value.mod(increment).isZero();
}

const INSTRUMENT_DECIMALS = ["minSize", "maxSize", "sizeIncrement", "priceIncrement", "minNotional"] as const;

/** What is wrong with the instrument fields `validateOrderForInstrument` reads, if anything. */
function instrumentProblem(instrument: unknown): string | undefined {
  if (!isRecord(instrument)) return `must be an instrument (got ${describeValue(instrument)})`;
  for (const field of INSTRUMENT_DECIMALS) {
    if (!isDecimalValue(instrument[field])) {
      return `${field} must be a Decimal (got ${describeValue(instrument[field])})`;
    }
  }
  if (instrument.maxNotional !== undefined && !isDecimalValue(instrument.maxNotional)) {
    return `maxNotional must be a Decimal (got ${describeValue(instrument.maxNotional)})`;
  }
  if (instrument.kind === "spot") return undefined;
  if (instrument.kind !== "perpetual" && instrument.kind !== "future") {
    return `kind must be spot, perpetual or future (got ${describeValue(instrument.kind)})`;
  }
  for (const field of ["maxLeverage", "contractSize"] as const) {
    if (!isDecimalValue(instrument[field])) {
      return `${field} must be a Decimal (got ${describeValue(instrument[field])})`;
    }
  }
  return undefined;
}

/** The fields of a spec that `validateOrderForInstrument` computes with, checked first. */
function specShapeIssues(
  issues: ValidationIssue[],
  spec: unknown,
  at: string,
  f: (name: string) => string,
): void {
  if (!isRecord(spec)) {
    issues.push(issue(at, "not-an-object", `must be an order spec object (got ${describeValue(spec)})`));
    return;
  }
  checkDecimal(issues, f("quantity"), spec.quantity);
  if (spec.type === "limit" || spec.type === "stop-limit") checkDecimal(issues, f("price"), spec.price);
  if (spec.type === "stop" || spec.type === "stop-limit") {
    checkDecimal(issues, f("triggerPrice"), spec.triggerPrice);
  }
  if (spec.leverage !== undefined) checkDecimal(issues, f("leverage"), spec.leverage);
}

function fitIssues(
  issues: ValidationIssue[],
  spec: OrderSpec,
  instrument: Instrument,
  f: (name: string) => string,
) {
  if (spec.instrumentId !== instrument.id) {
    // Neither id is repeated: a well-formed id can still be a pasted secret (the fuzz suite feeds
    // such ids), and the caller holds both values already.
    issues.push(issue(f("instrumentId"), "instrument-mismatch", "order is for another instrument"));
    return;
  }
  if (instrument.kind === "spot") {
    if (spec.leverage !== undefined)
      issues.push(issue(f("leverage"), "derivative-only", "spot orders take no leverage"));
    if (spec.marginType !== undefined)
      issues.push(issue(f("marginType"), "derivative-only", "spot orders take no margin type"));
    if (spec.reduceOnly === true)
      issues.push(issue(f("reduceOnly"), "derivative-only", "spot orders cannot be reduce-only"));
  } else if (spec.leverage?.gt(instrument.maxLeverage)) {
    issues.push(
      issue(
        f("leverage"),
        "leverage-above-max",
        `must be <= ${instrument.maxLeverage.toString()} (got ${spec.leverage.toString()})`,
      ),
    );
  }
  const q = spec.quantity;
  if (q.lt(instrument.minSize)) {
    issues.push(
      issue(
        f("quantity"),
        "below-min-size",
        `must be >= ${instrument.minSize.toString()} (got ${q.toString()})`,
      ),
    );
  }
  if (q.gt(instrument.maxSize)) {
    issues.push(
      issue(
        f("quantity"),
        "above-max-size",
        `must be <= ${instrument.maxSize.toString()} (got ${q.toString()})`,
      ),
    );
  }
  if (!isMultiple(q, instrument.sizeIncrement)) {
    issues.push(
      issue(
        f("quantity"),
        "not-on-size-increment",
        `must be a multiple of ${instrument.sizeIncrement.toString()} (got ${q.toString()})`,
      ),
    );
  }
  let refPrice: Decimal | undefined;
  if (spec.type === "limit" || spec.type === "stop-limit") {
    refPrice = spec.price;
    if (!isMultiple(spec.price, instrument.priceIncrement)) {
      issues.push(
        issue(
          f("price"),
          "not-on-price-increment",
          `must be a multiple of ${instrument.priceIncrement.toString()} (got ${spec.price.toString()})`,
        ),
      );
    }
  }
  if (spec.type === "stop" || spec.type === "stop-limit") {
    refPrice ??= spec.triggerPrice;
    if (!isMultiple(spec.triggerPrice, instrument.priceIncrement)) {
      issues.push(
        issue(
          f("triggerPrice"),
          "not-on-price-increment",
          `must be a multiple of ${instrument.priceIncrement.toString()} (got ${spec.triggerPrice.toString()})`,
        ),
      );
    }
  }
  if (refPrice === undefined) return;
  const multiplier = instrument.kind === "spot" ? undefined : instrument.contractSize;
  const notional = multiplier === undefined ? q.mul(refPrice) : q.mul(refPrice).mul(multiplier);
  if (notional.lt(instrument.minNotional)) {
    issues.push(
      issue(
        f("quantity"),
        "below-min-notional",
        `notional ${notional.toString()} < ${instrument.minNotional.toString()}`,
      ),
    );
  }
  if (instrument.maxNotional !== undefined && notional.gt(instrument.maxNotional)) {
    issues.push(
      issue(
        f("quantity"),
        "above-max-notional",
        `notional ${notional.toString()} > ${instrument.maxNotional.toString()}`,
      ),
    );
  }
}

/**
 * Checks an order spec against its instrument: same instrument id; `leverage`, `marginType` and
 * `reduceOnly` only on derivatives; leverage <= `maxLeverage`; quantity within
 * [`minSize`, `maxSize`] and on `sizeIncrement`; prices on `priceIncrement`; notional
 * (quantity × price × contract multiplier, using the limit price, else the trigger price) within
 * [`minNotional`, `maxNotional`] when a price is known. Run `validateOrderSpec` first for the
 * spec's own rules; this one only checks that the amounts it computes with are Decimals (a string
 * quantity is a `not-a-decimal` issue) and that `instrument` has the fields it reads.
 *
 * Never throws, whatever it is given.
 *
 * @returns every problem found; empty if the spec fits the instrument.
 */
export function validateOrderForInstrument(
  spec: OrderSpec,
  instrument: Instrument,
  path = "order",
): ValidationIssue[] {
  const at = pathOf(path);
  const f = (name: string) => `${at}.${name}`;
  return guarded(at, (issues) => {
    specShapeIssues(issues, spec, at, f);
    const bad = instrumentProblem(instrument);
    if (bad !== undefined) issues.push(issue("instrument", "invalid-instrument", bad));
    if (issues.length === 0) fitIssues(issues, spec, instrument, f);
  });
}

function checkExpiryAfter(issues: ValidationIssue[], field: string, expireTime: unknown, tsInit: unknown) {
  if (
    typeof expireTime === "number" &&
    typeof tsInit === "number" &&
    Number.isSafeInteger(expireTime) &&
    Number.isSafeInteger(tsInit) &&
    expireTime <= tsInit
  ) {
    issues.push(issue(field, "expire-time-in-past", `must be after tsInit ${tsInit} (got ${expireTime})`));
  }
}

function commandIssues(issues: ValidationIssue[], command: unknown): void {
  if (!isRecord(command)) {
    issues.push(
      issue("command", "not-an-object", `must be a command object (got ${describeValue(command)})`),
    );
    return;
  }
  if (!oneOf(issues, "type", "invalid-command-type", COMMAND_TYPES, command.type)) return;
  checkTimestamp(issues, "tsInit", command.tsInit);
  checkId(issues, "strategyId", command.strategyId);
  switch (command.type) {
    case "SubmitOrder": {
      specIssues(issues, command.order, "order");
      const order = command.order;
      if (isRecord(order)) checkExpiryAfter(issues, "order.expireTime", order.expireTime, command.tsInit);
      return;
    }
    case "SubmitBracket":
      bracketIssues(issues, command);
      return;
    case "CancelOrder":
    case "ModifyOrder":
      checkInstrumentId(issues, "instrumentId", command.instrumentId);
      checkId(issues, "clientOrderId", command.clientOrderId);
      if (command.venueOrderId !== undefined) checkId(issues, "venueOrderId", command.venueOrderId);
      if (command.type === "ModifyOrder") modifyIssues(issues, command);
      return;
    default:
      if (command.instrumentId !== undefined) checkInstrumentId(issues, "instrumentId", command.instrumentId);
      if (command.side !== undefined) oneOf(issues, "side", "invalid-side", ORDER_SIDES, command.side);
  }
}

function modifyIssues(issues: ValidationIssue[], command: Loose): void {
  if (command.quantity === undefined && command.price === undefined && command.triggerPrice === undefined) {
    issues.push(issue("quantity", "nothing-to-modify", "give a new quantity, price or triggerPrice"));
  }
  for (const field of ["quantity", "price", "triggerPrice"] as const) {
    if (command[field] !== undefined) checkPositive(issues, field, command[field]);
  }
}

/**
 * Checks a command on its own (no instrument, no order state). Beyond `validateOrderSpec`: `type`
 * is a known command type, `strategyId` and the other ids are valid, `tsInit` is a valid timestamp
 * and any `expireTime` lies after it; for `SubmitBracket`, the entry is market or limit, the three
 * client order ids differ, leg prices are positive and ordered (buy entry: take-profit price >
 * stop trigger, and for a limit entry take-profit > entry price > stop trigger; mirrored for a sell
 * entry); `ModifyOrder` changes at least one positive value; `CancelAllOrders.side` is a known side.
 *
 * Never throws, whatever `command` is (`{ type: "Nope" }` is an `invalid-command-type` issue).
 *
 * @returns every problem found; empty if the command is valid.
 */
export function validateCommand(command: TradingCommand): ValidationIssue[] {
  return guarded("command", (issues) => commandIssues(issues, command));
}

function bracketIssues(issues: ValidationIssue[], command: Loose): void {
  const entry = command.entry;
  if (!isRecord(entry)) {
    issues.push(
      issue("entry", "not-an-object", `must be an order spec object (got ${describeValue(entry)})`),
    );
    return;
  }
  if (entry.type !== "market" && entry.type !== "limit") {
    issues.push(
      issue(
        "entry.type",
        "bracket-entry-type",
        `bracket entries are market or limit (got ${describeValue(entry.type)})`,
      ),
    );
    return;
  }
  specIssues(issues, entry, "entry");
  checkExpiryAfter(issues, "entry.expireTime", entry.expireTime, command.tsInit);
  const takeProfit = command.takeProfit;
  const stopLoss = command.stopLoss;
  if (!isRecord(takeProfit)) {
    issues.push(
      issue(
        "takeProfit",
        "not-an-object",
        `must be { clientOrderId, price } (got ${describeValue(takeProfit)})`,
      ),
    );
  }
  if (!isRecord(stopLoss)) {
    issues.push(
      issue(
        "stopLoss",
        "not-an-object",
        `must be { clientOrderId, triggerPrice } (got ${describeValue(stopLoss)})`,
      ),
    );
  }
  if (!isRecord(takeProfit) || !isRecord(stopLoss)) return;
  const tpOk = checkPositive(issues, "takeProfit.price", takeProfit.price);
  const slOk = checkPositive(issues, "stopLoss.triggerPrice", stopLoss.triggerPrice);
  if (stopLoss.price !== undefined) checkPositive(issues, "stopLoss.price", stopLoss.price);
  checkId(issues, "takeProfit.clientOrderId", takeProfit.clientOrderId);
  checkId(issues, "stopLoss.clientOrderId", stopLoss.clientOrderId);
  if (command.legExpireTime !== undefined && checkTimestamp(issues, "legExpireTime", command.legExpireTime)) {
    checkExpiryAfter(issues, "legExpireTime", command.legExpireTime, command.tsInit);
  }
  const ids = [entry.clientOrderId, takeProfit.clientOrderId, stopLoss.clientOrderId];
  if (new Set(ids).size !== ids.length) {
    issues.push(
      issue(
        "takeProfit.clientOrderId",
        "duplicate-client-order-id",
        "entry and legs need three different client order ids",
      ),
    );
  }
  if (!tpOk || !slOk) return;
  const tp = takeProfit.price as Decimal;
  const sl = stopLoss.triggerPrice as Decimal;
  const buy = entry.side === "buy";
  if (buy ? !tp.gt(sl) : !tp.lt(sl)) {
    issues.push(
      issue(
        "takeProfit.price",
        "bracket-price-order",
        `for a ${buy ? "buy" : "sell"} entry the take-profit must be ${buy ? "above" : "below"} the stop trigger`,
      ),
    );
  }
  const p = entry.price;
  if (entry.type === "limit" && isDecimalValue(p) && p.isFinite()) {
    if (buy ? !(tp.gt(p) && sl.lt(p)) : !(tp.lt(p) && sl.gt(p))) {
      issues.push(
        issue(
          "entry.price",
          "bracket-price-order",
          buy
            ? "a buy limit entry must lie between the stop trigger and the take-profit"
            : "a sell limit entry must lie between the take-profit and the stop trigger",
        ),
      );
    }
  }
}

/**
 * Throws if `validateCommand` finds a problem.
 * @throws CommandValidationError listing every issue (for any input; never a `TypeError`).
 */
export function assertValidCommand(command: TradingCommand): void {
  const issues = validateCommand(command);
  if (issues.length === 0) return;
  throw new CommandValidationError(commandTypeOf(command), issues);
}

/** The command's type for a message: a known type name, else `"command"` (never throws). */
function commandTypeOf(command: unknown): string {
  try {
    const type = isRecord(command) ? command.type : undefined;
    return typeof type === "string" && COMMAND_TYPES.includes(type) ? type : "command";
  } catch {
    return "command";
  }
}
