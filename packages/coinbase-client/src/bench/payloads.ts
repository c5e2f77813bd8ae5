/**
 * The bodies the bench server answers with: one order (`GET /orders/historical/{order_id}`) and a
 * page of fills (`GET /orders/historical/fills`), shaped like Coinbase's (every field of the
 * reference's order and fill tables, amounts as decimal strings), built deterministically.
 */

/** The order id the bench asks for. */
export const BENCH_ORDER_ID = "0b8a5f3e-6c4d-4e1a-9f2b-7d3c1e5a8b90";

/** The API key name the bench signs with (`kid` and `sub` of every JWT). */
export const BENCH_KEY_NAME = "organizations/5f2c1e0a-bench-4c7d-9a3e-000000000000/apiKeys/bench-key";

/** A deterministic UUID-shaped string for item `i` of series `series`. */
function uuidLike(series: number, i: number): string {
  const hex = ((series * 2_654_435_761 + i * 40_503) >>> 0).toString(16).padStart(8, "0");
  const tail = (i * 7_919 + series).toString(16).padStart(12, "0").slice(-12);
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(5, 8)}-a${hex.slice(1, 4)}-${tail}`;
}

/** The body of `GET /orders/historical/{BENCH_ORDER_ID}`: a filled limit buy, every documented field. */
export function orderBody(): string {
  return JSON.stringify({
    order: {
      order_id: BENCH_ORDER_ID,
      product_id: "BTC-USD",
      user_id: "dbcb91e7-2bc9-5152-bb6f-72d6677e6727",
      order_configuration: {
        limit_limit_gtc: { base_size: "0.01500000", limit_price: "64250.15", post_only: false },
      },
      side: "BUY",
      client_order_id: "6f1d3c2a-88e0-4b7e-9a41-2c5d7e9f0b13",
      status: "FILLED",
      time_in_force: "GOOD_UNTIL_CANCELLED",
      created_time: "2026-11-30T14:03:11.512093Z",
      completion_percentage: "100.00",
      filled_size: "0.015",
      average_filled_price: "64249.87",
      fee: "",
      number_of_fills: "3",
      filled_value: "963.74805",
      pending_cancel: false,
      size_in_quote: false,
      total_fees: "5.7824883",
      size_inclusive_of_fees: false,
      total_value_after_fees: "969.5305383",
      trigger_status: "INVALID_ORDER_TYPE",
      order_type: "LIMIT",
      reject_reason: "REJECT_REASON_UNSPECIFIED",
      settled: true,
      product_type: "SPOT",
      reject_message: "",
      cancel_message: "",
      order_placement_source: "RETAIL_ADVANCED",
      outstanding_hold_amount: "0",
      is_liquidation: false,
      last_fill_time: "2026-11-30T14:03:12.004417Z",
      edit_history: [],
      leverage: "",
      margin_type: "UNKNOWN_MARGIN_TYPE",
      retail_portfolio_id: "7c0e4b1d-5a2f-4e8c-b3d6-9f1a2c4e6b80",
      originating_order_id: "",
      attached_order_id: "",
      attached_order_configuration: null,
      last_update_time: "2026-11-30T14:03:12.004417Z",
    },
  });
}

/** The body of `GET /orders/historical/fills?limit=N`: `count` spot fills and a next-page cursor. */
export function fillsBody(count: number): string {
  const fills = Array.from({ length: count }, (_, i) => {
    const second = String(i % 60).padStart(2, "0");
    const micros = String((i * 104_729) % 1_000_000).padStart(6, "0");
    return {
      entry_id: `${uuidLike(1, i).replace(/-/g, "")}${uuidLike(2, i).replace(/-/g, "")}`,
      trade_id: uuidLike(3, i),
      order_id: uuidLike(4, i >> 2),
      trade_time: `2026-11-30T14:${String(i % 60).padStart(2, "0")}:${second}.${micros}Z`,
      trade_type: "FILL",
      price: (64_000 + ((i * 37) % 500) + (i % 100) / 100).toFixed(2),
      size: `0.00${(i % 9) + 1}${(i * 13) % 10}`,
      commission: `0.${String((i * 7_919) % 10_000).padStart(4, "0")}12`,
      product_id: "BTC-USD",
      sequence_timestamp: `2026-11-30T14:${String(i % 60).padStart(2, "0")}:${second}.${micros}Z`,
      liquidity_indicator: i % 3 === 0 ? "MAKER" : "TAKER",
      size_in_quote: false,
      user_id: "dbcb91e7-2bc9-5152-bb6f-72d6677e6727",
      side: i % 2 === 0 ? "BUY" : "SELL",
      retail_portfolio_id: "7c0e4b1d-5a2f-4e8c-b3d6-9f1a2c4e6b80",
      cursor: String(244_975_901 + i),
    };
  });
  return JSON.stringify({ fills, cursor: String(244_975_901 + count) });
}
