/**
 * REST and order faults (see faults.ts for the whole script): their types, and the injectors the
 * REST server and the order entry consult (the parser is in faults-parse.ts). Rules are taken
 * in script order: a request (or an order) gets the first rule that matches it and still has
 * some of its `count` left; each use takes one from that count.
 */
import { D, type Decimal } from "@gpt/quantize";
import type { Exchange } from "./exchange.js";
import type { FaultState } from "./faults.js";
import { REASONS } from "./faults-parse.js";
import type { SimLevel } from "./market.js";

/** What a REST fault rule applies to. Every field is optional: a rule without them takes every request. */
export interface RestFaultMatch {
  /**
   * The path after `/api/v3/brokerage`, e.g. `/orders`; `*` stands for any run of characters
   * (`/orders*` matches `/orders`, `/orders/batch_cancel` and `/orders/historical/batch`).
   */
  readonly path?: string;
  /** Only this HTTP method. */
  readonly method?: "GET" | "POST" | "PUT" | "DELETE";
  /** How many matching requests get it; absent: every one. */
  readonly count?: number;
}

/** An HTTP 429 with `x-ratelimit-*` headers (remaining 0), whatever the real rate limiter says. */
export interface RateLimitFault extends RestFaultMatch {
  /** The rule's kind. */
  readonly kind: "rate-limit";
  /**
   * The body: `json` (default) `{"error":"RATE_LIMIT_EXCEEDED","code":8,"message":"Too many requests"}`,
   * `legacy` `{"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]}`, or `html`, a
   * `text/html` page, as Coinbase has been seen to send.
   */
  readonly body?: "json" | "legacy" | "html";
  /** The `x-ratelimit-reset` header in seconds; default 1. */
  readonly resetSeconds?: number;
}

/** A 5xx answer with a Coinbase-like body. */
export interface ServerErrorFault extends RestFaultMatch {
  /** The rule's kind. */
  readonly kind: "server-error";
  /** 500 `INTERNAL`, 502 `UNKNOWN` (bad gateway), 503 `UNAVAILABLE`, 504 `DEADLINE_EXCEEDED`. */
  readonly status: 500 | 502 | 503 | 504;
  /** `json` (default, `{error, error_details, message}`) or `html` (a gateway's `text/html` page). */
  readonly body?: "json" | "html";
  /**
   * The request is handled first (an order is placed) and only its answer is replaced: a lost
   * response. Default false: nothing is done.
   */
  readonly processed?: boolean;
}

/** The request waits `ms` milliseconds of wall-clock time before it is handled. */
export interface LatencyFault extends RestFaultMatch {
  /** The rule's kind. */
  readonly kind: "latency";
  /** The added latency, in milliseconds. */
  readonly ms: number;
}

/** The request is never answered (until the client gives up or the simulator closes). */
export interface HangFault extends RestFaultMatch {
  /** The rule's kind. */
  readonly kind: "hang";
  /** The request is handled first (an order is placed) and only its answer is withheld. Default false. */
  readonly processed?: boolean;
}

/** One REST fault rule. */
export type RestFault = RateLimitFault | ServerErrorFault | LatencyFault | HangFault;

/**
 * Faults in HTTP answers, in the order they are consumed. Latency rules add to the others: a request
 * can wait (the first latency rule that takes it) and then get the first answer rule that takes it.
 */
export type RestFaults = readonly RestFault[];

/** What an order fault rule applies to. */
export interface OrderFaultMatch {
  /** Only orders for this product id. */
  readonly product?: string;
  /** How many orders get it; absent: every matching order. */
  readonly count?: number;
}

/**
 * A marketable order fills only `fraction` of its size now (rounded down to the size step); the
 * rest is canceled (IOC, market) or rests on the book (GTC, GTD); a FOK is killed. Orders that
 * are not marketable when they arrive, or too small to split, are not affected and use no count.
 */
export interface PartialFillFault extends OrderFaultMatch {
  /** The rule's kind. */
  readonly kind: "partial-fill";
  /** The share filled at once, between 0 and 1 (both excluded). */
  readonly fraction: number;
}

/** A valid order is refused (HTTP 200, `success: false`) with a chosen Coinbase reason. */
export interface RejectFault extends OrderFaultMatch {
  /** The rule's kind. */
  readonly kind: "reject";
  /** The `new_order_failure_reason`, e.g. `INSUFFICIENT_FUND` or `INVALID_LIMIT_PRICE_POST_ONLY`. */
  readonly reason: OrderFaultReason;
  /** The `message` and `error_details`; default a short text for the reason. */
  readonly message?: string;
}

/** One order fault rule. */
export type OrderFault = PartialFillFault | RejectFault;

/** Faults in how orders are accepted and filled, in the order they are consumed. */
export type OrderFaults = readonly OrderFault[];

/** The Coinbase `new_order_failure_reason` values a reject fault can carry. */
export type OrderFaultReason =
  | "UNKNOWN_FAILURE_REASON"
  | "UNSUPPORTED_ORDER_CONFIGURATION"
  | "INVALID_SIDE"
  | "INVALID_PRODUCT_ID"
  | "INVALID_SIZE_PRECISION"
  | "INVALID_PRICE_PRECISION"
  | "INSUFFICIENT_FUND"
  | "INVALID_LEDGER_BALANCE"
  | "ORDER_ENTRY_DISABLED"
  | "INELIGIBLE_PAIR"
  | "INVALID_LIMIT_PRICE_POST_ONLY"
  | "INVALID_LIMIT_PRICE"
  | "INVALID_NO_LIQUIDITY"
  | "INVALID_REQUEST"
  | "COMMANDER_REJECTED_NEW_ORDER"
  | "INSUFFICIENT_FUNDS"
  | "IN_LIQUIDATION"
  | "INVALID_MARGIN_TYPE"
  | "INVALID_LEVERAGE"
  | "UNTRADABLE_PRODUCT"
  | "INVALID_FCM_TRADING_SESSION"
  | "GEOFENCING_RESTRICTION";

/** Which fault a request got, as the audit log records it. */
export interface AuditFault {
  /** The part of the script: `rest` or `orders`. */
  readonly part: "rest" | "orders";
  /** The rule's position in that part, from 0. */
  readonly index: number;
  /** The rule's kind. */
  readonly kind: RestFault["kind"] | OrderFault["kind"];
}

/** Wall-clock timers the simulator waits with (fault latency); injectable so tests need no real waits. */
export interface SimTimers {
  /** Schedules `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: unknown): void;
}

// ---------------------------------------------------------------------------------------------
// Applying the rules.

/** A rule's remaining uses, per rule of the current script. */
function countsOf(rules: readonly { readonly count?: number }[] | undefined): number[] {
  return (rules ?? []).map((rule) => rule.count ?? Number.POSITIVE_INFINITY);
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** What the REST faults say about one request. */
export interface RestFaultDecision {
  /** Milliseconds to wait before handling it (0: none). */
  readonly latencyMs: number;
  /** The answer rule that takes it, if any. */
  readonly answer?: RateLimitFault | ServerErrorFault | HangFault;
  /** The request is handled before the answer rule replaces (or withholds) its answer. */
  readonly processed: boolean;
  /** The rules used, for the audit log. */
  readonly applied: readonly AuditFault[];
}

/**
 * The REST side of the script: picks the faults of each request in arrival order, consuming the
 * rules' counts, and waits out latency on injectable timers. A new script (`setFaults`) starts its
 * counts afresh.
 */
export class RestFaultInjector {
  readonly #state: FaultState;
  readonly #timers: SimTimers;
  readonly #pending = new Set<unknown>();
  readonly #patterns = new Map<string, RegExp>();
  #counts: number[];
  #disposed = false;
  readonly #unsubscribe: () => void;

  constructor(state: FaultState, timers: SimTimers) {
    this.#state = state;
    this.#timers = timers;
    this.#counts = countsOf(state.current.rest);
    this.#unsubscribe = state.onChange((faults) => {
      this.#counts = countsOf(faults.rest);
    });
  }

  /** Decides the faults of a request to `path` (after `/api/v3/brokerage`) with `method`. */
  take(method: string, path: string): RestFaultDecision {
    const rules = this.#state.current.rest ?? [];
    const applied: AuditFault[] = [];
    let latencyMs = 0;
    let latencyTaken = false;
    let answer: RestFaultDecision["answer"];
    rules.forEach((rule, index) => {
      const isLatency = rule.kind === "latency";
      if ((isLatency && latencyTaken) || (!isLatency && answer !== undefined)) return;
      if (!((this.#counts[index] ?? 0) > 0) || !this.#matches(rule, method, path)) return;
      this.#counts[index] = (this.#counts[index] ?? 0) - 1;
      applied.push({ part: "rest", index, kind: rule.kind });
      if (rule.kind === "latency") {
        latencyTaken = true;
        latencyMs = rule.ms;
      } else {
        answer = rule;
      }
    });
    if (answer === undefined) return { latencyMs, applied, processed: false };
    const processed = answer.kind !== "rate-limit" && answer.processed === true;
    return { latencyMs, answer, applied, processed };
  }

  /** Resolves after `ms` on the timers; never resolves once `dispose` has run. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#disposed) return;
      let fired = false;
      let handle: unknown;
      handle = this.#timers.setTimeout(() => {
        fired = true;
        this.#pending.delete(handle);
        resolve();
      }, ms);
      if (!fired) this.#pending.add(handle);
    });
  }

  /** Cancels the waits in progress and stops listening to script changes (the simulator closes). */
  dispose(): void {
    this.#disposed = true;
    for (const handle of this.#pending) this.#timers.clearTimeout(handle);
    this.#pending.clear();
    this.#unsubscribe();
  }

  #matches(rule: RestFault, method: string, path: string): boolean {
    if (rule.method !== undefined && rule.method !== method) return false;
    if (rule.path === undefined) return true;
    let pattern = this.#patterns.get(rule.path);
    if (pattern === undefined) {
      pattern = globToRegExp(rule.path);
      this.#patterns.set(rule.path, pattern);
    }
    return pattern.test(path);
  }
}

/** A fault's HTTP answer. */
export interface FaultAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** JSON (an object) or text. */
  readonly body: unknown;
  /** Headers added to the server's (`x-ratelimit-*`; `content-type` for an HTML page). */
  readonly headers: Readonly<Record<string, string>>;
}

const html = (title: string, text: string): string =>
  `<html><head><title>${title}</title></head><body><h1>${text}</h1></body></html>`;

const SERVER_ERRORS: Readonly<Record<ServerErrorFault["status"], readonly [string, string]>> = {
  500: ["INTERNAL", "Internal server error"],
  502: ["UNKNOWN", "Bad gateway"],
  503: ["UNAVAILABLE", "Service unavailable"],
  504: ["DEADLINE_EXCEEDED", "Gateway timeout"],
};

/**
 * The answer of a 429 or 5xx fault. `limit` is the `x-ratelimit-limit` of the request's bucket.
 */
export function faultAnswer(fault: RateLimitFault | ServerErrorFault, limit: number): FaultAnswer {
  if (fault.kind === "rate-limit") {
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(fault.resetSeconds ?? 1),
    };
    switch (fault.body) {
      case "html":
        return {
          status: 429,
          body: html("Coinbase", "429 Too Many Requests"),
          headers: { ...headers, "content-type": "text/html" },
        };
      case "legacy":
        return {
          status: 429,
          body: { errors: [{ id: "rate_limit_exceeded", message: "Too many requests" }] },
          headers,
        };
      default:
        return {
          status: 429,
          body: { error: "RATE_LIMIT_EXCEEDED", code: 8, message: "Too many requests" },
          headers,
        };
    }
  }
  const [error, message] = SERVER_ERRORS[fault.status];
  if (fault.body === "html") {
    return {
      status: fault.status,
      body: html(`${fault.status} ${message}`, `${fault.status} ${message}`),
      headers: { "content-type": "text/html" },
    };
  }
  return { status: fault.status, body: { error, error_details: message, message }, headers: {} };
}

/**
 * The order side of the script: picks the rule of each new order in arrival order, consuming the
 * counts, and keeps what it applied until the server records it with the request.
 */
export class OrderFaultInjector {
  readonly #state: FaultState;
  #counts: number[];
  #applied: AuditFault[] = [];

  constructor(state: FaultState) {
    this.#state = state;
    this.#counts = countsOf(state.current.orders);
    state.onChange((faults) => {
      this.#counts = countsOf(faults.orders);
    });
  }

  /**
   * The first rule for `productId` that has uses left and that `eligible` accepts (a partial fill
   * needs a marketable order that can be split); takes one use.
   */
  take(productId: string, eligible: (fault: OrderFault) => boolean): OrderFault | undefined {
    const rules = this.#state.current.orders ?? [];
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index];
      if (rule === undefined || !((this.#counts[index] ?? 0) > 0)) continue;
      if (rule.product !== undefined && rule.product !== productId) continue;
      if (!eligible(rule)) continue;
      this.#counts[index] = (this.#counts[index] ?? 0) - 1;
      this.#applied.push({ part: "orders", index, kind: rule.kind });
      return rule;
    }
    return undefined;
  }

  /** The rules applied since the last call (the server records them with the request). */
  drainApplied(): AuditFault[] {
    const applied = this.#applied;
    this.#applied = [];
    return applied;
  }
}

/** The Coinbase refusal of a reject fault: reason, preview reason and message. */
function rejectFailure(fault: RejectFault): { reason: string; preview: string; message: string } {
  const [preview, message] = REASONS[fault.reason];
  return { reason: fault.reason, preview, message: fault.message ?? message };
}

/**
 * The size a partial fill takes now: `fraction` of `quantity`, rounded down to `step`; undefined
 * when that leaves nothing or everything (the order cannot be split).
 */
export function partialTarget(quantity: Decimal, step: Decimal, fraction: number): Decimal | undefined {
  const target = quantity.times(D(fraction)).div(step).floor().times(step);
  return target.gt(0) && target.lt(quantity) ? target : undefined;
}

/** The levels of one side of a book cut so that they hold `target` in all, best first. */
export function thinLevels(levels: readonly SimLevel[], target: Decimal): SimLevel[] {
  const thinned: SimLevel[] = [];
  let left = target;
  for (const level of levels) {
    if (left.lte(0)) break;
    const available = D(level.size);
    const size = available.lt(left) ? available : left;
    thinned.push({ price: level.price, size: size.toNumber() });
    left = left.minus(size);
  }
  return thinned;
}

/** A valid new order, as the order entry describes it to the fault script. */
export interface OrderFaultCandidate {
  /** The product id. */
  readonly productId: string;
  /** The side. */
  readonly side: "BUY" | "SELL";
  /** The `order_configuration` key, e.g. `market_market_ioc`. */
  readonly configuration: string;
  /** The limit price, for limit and stop-limit orders. */
  readonly limitPrice: Decimal | undefined;
  /** Whether it is a post-only limit (never marketable). */
  readonly postOnly: boolean;
  /** Base size (contracts for futures). */
  readonly quantity: Decimal;
}

/**
 * Applies the order side of the script to a valid new order, before it reaches the engine: a
 * reject rule answers the refusal to send; a partial-fill rule leaves the engine's book holding
 * only the share to fill on the order's side, so the engine fills that much and treats the rest as
 * its time in force says (IOC canceled, GTC/GTD resting, FOK killed).
 */
export function applyOrderFaults(
  exchange: Exchange,
  order: OrderFaultCandidate,
  nowMs: number,
): { reason: string; preview: string; message: string } | undefined {
  const injector = exchange.orderFaults;
  if (injector === undefined) return undefined;
  const { productId, side, configuration, limitPrice } = order;
  const spec = exchange.products.get(productId);
  const instrumentId = exchange.instruments.get(productId);
  const book = exchange.markets.get(productId)?.book(nowMs);
  const best = (side === "BUY" ? book?.asks : book?.bids)?.[0]?.price;
  const marketable =
    !order.postOnly &&
    best !== undefined &&
    (configuration.startsWith("market_") ||
      (limitPrice !== undefined &&
        !configuration.startsWith("stop_limit_") &&
        (side === "BUY" ? limitPrice.gte(best) : limitPrice.lte(best))));
  const split: { target?: Decimal } = {};
  const fault = injector.take(productId, (rule) => {
    if (rule.kind === "reject") return true;
    if (!marketable || spec === undefined) return false;
    const target = partialTarget(order.quantity, D(spec.baseIncrement), rule.fraction);
    if (target !== undefined) split.target = target;
    return target !== undefined;
  });
  if (fault?.kind === "reject") return rejectFailure(fault);
  if (split.target !== undefined && book !== undefined && instrumentId !== undefined) {
    exchange.engineOf(productId).onBookSnapshot({
      type: "BookSnapshot",
      instrumentId,
      bids: side === "SELL" ? thinLevels(book.bids, split.target) : book.bids,
      asks: side === "BUY" ? thinLevels(book.asks, split.target) : book.asks,
      tsEvent: nowMs,
      tsInit: nowMs,
    });
  }
  return undefined;
}
