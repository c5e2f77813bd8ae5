import type { CallOptions, ClientContext } from "../../internal/context.js";
import type {
  CancelOrdersParams,
  ClosePositionParams,
  CreateOrderParams,
  EditOrderParams,
  GetOrderParams,
  ListFillsParams,
  ListOrdersParams,
  PreviewOrdersParams,
} from "../../schemas/order-requests.js";
import { cancelOrders } from "./cancel-orders.js";
import { closePosition } from "./close-position.js";
import { createOrder } from "./create-order.js";
import { editOrder, editOrderPreview } from "./edit-order.js";
import { getOrder } from "./get-order.js";
import { iterateFills, listFills } from "./list-fills.js";
import { iterateOrders, listOrders } from "./list-orders.js";
import type { PlaceOrderOptions } from "./place-order.js";
import { previewOrders } from "./preview-orders.js";

/**
 * Binds the orders actions to a client context: `createCoinbaseClient` spreads the result into the
 * client object, so each action becomes a method (`client.createOrder(params, options)`).
 */
export function bindOrderActions(ctx: ClientContext) {
  return {
    /** `POST /orders` (trade): see {@link createOrder}. */
    createOrder: (params: CreateOrderParams, options?: PlaceOrderOptions) =>
      createOrder(ctx, params, options),
    /** `POST /orders/preview` (trade): see {@link previewOrders}. */
    previewOrders: (params: PreviewOrdersParams, options?: CallOptions) =>
      previewOrders(ctx, params, options),
    /** `POST /orders/edit` (trade): see {@link editOrder}. */
    editOrder: (params: EditOrderParams, options?: CallOptions) => editOrder(ctx, params, options),
    /** `POST /orders/edit_preview` (trade): see {@link editOrderPreview}. */
    editOrderPreview: (params: EditOrderParams, options?: CallOptions) =>
      editOrderPreview(ctx, params, options),
    /** `POST /orders/batch_cancel` (trade): see {@link cancelOrders}. */
    cancelOrders: (params: CancelOrdersParams, options?: CallOptions) => cancelOrders(ctx, params, options),
    /** `POST /orders/close_position` (trade): see {@link closePosition}. */
    closePosition: (params: ClosePositionParams, options?: PlaceOrderOptions) =>
      closePosition(ctx, params, options),
    /** `GET /orders/historical/batch` (view): see {@link listOrders}. */
    listOrders: (params?: ListOrdersParams, options?: CallOptions) => listOrders(ctx, params, options),
    /** Every page of `GET /orders/historical/batch` (view): see {@link iterateOrders}. */
    iterateOrders: (params?: ListOrdersParams, options?: CallOptions) => iterateOrders(ctx, params, options),
    /** `GET /orders/historical/{order_id}` (view): see {@link getOrder}. */
    getOrder: (params: GetOrderParams, options?: CallOptions) => getOrder(ctx, params, options),
    /** `GET /orders/historical/fills` (view): see {@link listFills}. */
    listFills: (params?: ListFillsParams, options?: CallOptions) => listFills(ctx, params, options),
    /** Every page of `GET /orders/historical/fills` (view): see {@link iterateFills}. */
    iterateFills: (params?: ListFillsParams, options?: CallOptions) => iterateFills(ctx, params, options),
  } as const;
}
