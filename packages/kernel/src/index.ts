/**
 * `@gpt/kernel`: the single trading loop of GPT-Trader. `createTrader()` wires market data →
 * regime → strategy → sizing → quantize → risk → execution, keeps a cache of orders, positions
 * and the account ledger updated from execution events before strategies see the next bar,
 * applies the order-outcome policy (an unknown outcome is not a rejection), and writes every
 * decision to an event log that can be serialized and compared between runs.
 */

export type { LedgerSnapshot, OrderFilter, TraderCache } from "./cache.js";
export type { KernelErrorCode, KernelErrorOptions } from "./errors.js";
export { isKernelError, KernelError } from "./errors.js";
export type { EventBus, EventLog, MemoryEventLog, MemoryEventLogOptions } from "./event-log.js";
export { createCallbackEventLog, createMemoryEventLog, DEFAULT_EVENT_LOG_CAPACITY } from "./event-log.js";
export type {
  Decision,
  DecisionKind,
  IntentSummary,
  KernelEvent,
  KernelWarning,
  LedgerAdjusted,
  OrderAction,
  PositionAdjusted,
  Reconciled,
  ReconciliationIssue,
  ReconciliationRequested,
  ReconciliationResult,
  RiskNotice,
  TraderEvent,
  TraderEventHandler,
} from "./events.js";
export { DECISION_KINDS } from "./events.js";
export type { OrderSizingOptions } from "./order-sizing.js";
export type { DecisionPriceRule } from "./prices.js";
export { DECISION_PRICE_RULES } from "./prices.js";
export type {
  CompareEventLogsOptions,
  EventLogComparison,
  EventLogSource,
  JsonValue,
  SerializedEvent,
} from "./serialize.js";
export { compareEventLogs, serializeEvent, toJsonLine, toJsonLines } from "./serialize.js";
export type { KernelSizer, SizingOption, SizingRequest } from "./sizing.js";
export { createConfigSizer, DEFAULT_SIZING } from "./sizing.js";
export type { HoldSnapshot, InstrumentSnapshot, TraderSnapshot } from "./snapshot.js";
export { TRADER_SNAPSHOT_VERSION } from "./snapshot.js";
export type { MemoryTraderStore, StoredOrder, StoreEntry, TraderStore } from "./store.js";
export { createMemoryTraderStore } from "./store.js";
export type {
  AccountOptions,
  ReconcileOptions,
  RegimeOption,
  RestoreOptions,
  RiskOption,
  StopOptions,
  StopResult,
  Trader,
  TraderIds,
  TraderOptions,
  TraderState,
  TraderStats,
} from "./trader.js";
export { createTrader, EXTERNAL_STRATEGY_ID, restoreTrader } from "./trader.js";
