/**
 * The hot path: a hand-written checker for `l2_data` messages, the bulk of a level-2 feed. It does
 * the checks of the zod schema in `./schemas.ts` in a plain loop and is only ever stricter: any
 * frame it does not accept goes to zod, which accepts it or names the failing path. The property
 * test in `parse.test.ts` holds it to that rule. On success the parsed JSON object is the message
 * (the l2 schema transforms nothing, so zod's output would be an equal copy).
 */
import { PLAIN_DECIMAL } from "./schemas.js";
import type { L2DataMessage } from "./types.js";

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` is a plain decimal string (digits, an optional fraction). */
function isPlainDecimal(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const n = value.length;
  if (n === 0) return false;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46 && dot === -1 && i > 0 && i < n - 1) {
      dot = i;
      continue;
    }
    return false;
  }
  return true;
}

function isUpdate(value: unknown): boolean {
  if (!isObject(value)) return false;
  const side = value.side;
  return (
    (side === "bid" || side === "offer") &&
    typeof value.event_time === "string" &&
    isPlainDecimal(value.price_level) &&
    isPlainDecimal(value.new_quantity)
  );
}

function isEvent(value: unknown): boolean {
  if (!isObject(value)) return false;
  const type = value.type;
  if ((type !== "snapshot" && type !== "update") || typeof value.product_id !== "string") return false;
  const updates = value.updates;
  if (!Array.isArray(updates)) return false;
  for (let i = 0; i < updates.length; i++) if (!isUpdate(updates[i])) return false;
  return true;
}

/**
 * True when `value` is an `l2_data` message the zod schema accepts; false means "ask zod" (it may
 * still be valid in a shape this checker does not handle).
 */
export function isL2DataFast(value: Obj): value is Obj & L2DataMessage {
  if (value.channel !== "l2_data") return false;
  const clientId = value.client_id;
  if (clientId !== undefined && typeof clientId !== "string") return false;
  const seq = value.sequence_num;
  if (
    typeof value.timestamp !== "string" ||
    typeof seq !== "number" ||
    !Number.isSafeInteger(seq) ||
    seq < 0
  ) {
    return false;
  }
  const events = value.events;
  if (!Array.isArray(events)) return false;
  for (let i = 0; i < events.length; i++) if (!isEvent(events[i])) return false;
  return true;
}

/** The same rule as `PLAIN_DECIMAL`, exported for the tests that hold the two together. */
export const plainDecimalRule: { readonly fast: (value: unknown) => boolean; readonly regex: RegExp } = {
  fast: isPlainDecimal,
  regex: PLAIN_DECIMAL,
};
