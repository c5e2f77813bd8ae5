/** The Data API: `GET /key_permissions` (what the API key in use may do); unknown fields are kept. */
import * as z from "../internal/zod.js";
import { maybe } from "./accounts.js";

/** `GET /key_permissions`. CDP keys are tied to one portfolio. */
export interface GetApiKeyPermissionsResponse {
  /** The key may read (`view`). */
  readonly can_view: boolean;
  /** The key may trade (`trade`). */
  readonly can_trade: boolean;
  /** The key may move funds (`transfer`). */
  readonly can_transfer: boolean;
  /** The portfolio the key belongs to. */
  readonly portfolio_uuid?: string | null;
  /** `DEFAULT`, `CONSUMER`, `INTX` or `UNDEFINED`. */
  readonly portfolio_type?: string | null;
  /** Fields Coinbase may add. */
  readonly [key: string]: unknown;
}

/** The key-permissions response, as parsed. */
export const getApiKeyPermissionsResponseSchema = /* @__PURE__ */ z.memo(() =>
  z.looseObject({
    can_view: z.boolean(),
    can_trade: z.boolean(),
    can_transfer: z.boolean(),
    portfolio_uuid: maybe(z.string()),
    portfolio_type: maybe(z.string()),
  }),
);
