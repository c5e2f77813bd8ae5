/**
 * `parseWsFrame`: one WebSocket frame → a validated message, or an error that names the JSON path
 * with the raw frame attached. Level-2 frames take the fast checker (`./fast-l2.ts`); everything
 * else, and any l2 frame the fast checker does not accept, goes through the zod schemas.
 */
import { CoinbaseClientError } from "../errors.js";
import { safeParse } from "../internal/zod.js";
import { isL2DataFast } from "./fast-l2.js";
import { wsMessageSchema } from "./schemas.js";
import type { WsFrameResult, WsMessage } from "./types.js";

const OPERATION = "parseWsFrame";
let decoder: InstanceType<typeof TextDecoder> | undefined;

function decode(bytes: Uint8Array): string {
  decoder ??= new TextDecoder();
  return decoder.decode(bytes);
}

function invalid(raw: string, message: string, field: string, cause?: unknown): WsFrameResult {
  const error = new CoinbaseClientError("ws-message-invalid", message, {
    operation: OPERATION,
    field,
    cause,
  });
  return { ok: false, error, raw };
}

/**
 * Parses and validates one frame of the Advanced Trade WebSocket feed. Never throws: a frame that is
 * not JSON, names an unknown channel or does not have the documented shape gives
 * `{ ok: false, error, raw }` where `error.code` is `"ws-message-invalid"` and `error.field` is the
 * dotted JSON path (`"events.0.updates.3.price_level"`). An error frame (`{"type":"error",…}`)
 * parses to a message with `channel: "error"`.
 *
 * @example
 * const result = parseWsFrame('{"channel":"heartbeats","timestamp":"","sequence_num":1,"events":[]}');
 * if (result.ok && result.message.channel === "heartbeats") console.log(result.message.sequence_num);
 */
export function parseWsFrame(raw: string | Uint8Array): WsFrameResult {
  const text = typeof raw === "string" ? raw : decode(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // V8's SyntaxError quotes the text: the frame travels as `raw` on the result, never inside the error.
    return invalid(text, "WebSocket frame is not JSON", "");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalid(text, "WebSocket frame is not a JSON object", "");
  }
  const object = value as Record<string, unknown>;
  if (isL2DataFast(object)) return { ok: true, message: object };
  if (object.channel === undefined && object.type === "error") object.channel = "error";
  const channel = object.channel;
  const schema = typeof channel === "string" ? wsMessageSchema(channel) : undefined;
  if (schema === undefined) {
    return invalid(text, "WebSocket message has no known channel", "channel");
  }
  const parsed = safeParse(schema, object);
  if (parsed.success) return { ok: true, message: parsed.data as WsMessage };
  const issue = parsed.error.issues[0];
  const field = issue === undefined ? "" : issue.path.map(String).join(".");
  const reason = issue?.message ?? "invalid value";
  return invalid(
    text,
    `WebSocket ${String(channel)} message: ${field === "" ? "" : `${field}: `}${reason}`,
    field,
    parsed.error,
  );
}
