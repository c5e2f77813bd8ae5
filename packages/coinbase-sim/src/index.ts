export type {
  AuditEntry,
  AuditQuery,
  ClientOrderAudit,
  WsAuditEntry,
  WsAuditQuery,
  WsConnectionAudit,
} from "./audit.js";
export { AuditLog } from "./audit.js";
export type { AuthFailure, SimKey } from "./auth.js";
export type { SimBar, SimSeries, SyntheticSeriesOptions } from "./bars.js";
export { parseBarCsv, syntheticSeries } from "./bars.js";
export type { CoinbaseSimErrorCode } from "./errors.js";
export { CoinbaseSimError, isCoinbaseSimError } from "./errors.js";
export type { SimFaults } from "./faults.js";
export { parseSimFaults } from "./faults.js";
export type { FaultParseContext } from "./faults-parse.js";
export type {
  AuditFault,
  HangFault,
  LatencyFault,
  OrderFault,
  OrderFaultMatch,
  OrderFaultReason,
  OrderFaults,
  PartialFillFault,
  RateLimitFault,
  RejectFault,
  RestFault,
  RestFaultMatch,
  RestFaults,
  ServerErrorFault,
  SimTimers,
} from "./faults-rest.js";
export type { TestKey } from "./keys.js";
export { createTestKey } from "./keys.js";
export type { SimProductKind, SimProductSpec } from "./products.js";
export { SIM_PRODUCTS } from "./products.js";
export type { SimRateLimits } from "./rate-limit.js";
export type { Simulator, SimulatorOptions } from "./server.js";
export { DEFAULT_PRODUCTS, startSimulator } from "./server.js";
export type {
  WsDropFault,
  WsEndpoint,
  WsFaults,
  WsFaultTrigger,
  WsGapFault,
  WsStaleFault,
} from "./ws/faults.js";
export type { SimWsOptions } from "./ws/server.js";
