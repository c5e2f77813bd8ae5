/** What a non-2xx body told us, in the shapes Coinbase uses (docs §1.14). */
export interface CoinbaseErrorBody {
  /** `"INVALID_ARGUMENT"`, `"NOT_FOUND"`, `"rate_limit_exceeded"`, … */
  readonly coinbaseCode?: string;
  /** The human-readable message. */
  readonly coinbaseMessage?: string;
  /** How the body looked: JSON, an HTML page, plain text or nothing. */
  readonly kind: "json" | "html" | "text" | "empty";
}

/** Longest message we copy from a body into an error. */
const MAX_MESSAGE = 300;

/**
 * Reads an error body: the gRPC-gateway shape `{error, code, message, details}`, the usual
 * `{error, error_details, message}`, the legacy `{errors: [{id, message}]}`, a nested
 * `{error_response: {...}}`, a plain-text `Unauthorized`, or an HTML page (nothing read from it).
 */
export function parseErrorBody(body: string, contentType: string | undefined): CoinbaseErrorBody {
  const text = body.trim();
  if (text === "") return { kind: "empty" };
  if (looksLikeHtml(text, contentType)) return { kind: "html" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Plain text such as `Unauthorized`; kept when it is one short line.
    return /^[^\n<>]{1,120}$/.test(text) ? { kind: "text", coinbaseMessage: text } : { kind: "text" };
  }
  return { kind: "json", ...fromJson(json) };
}

function fromJson(json: unknown): { coinbaseCode?: string; coinbaseMessage?: string } {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return {};
  const record = json as Record<string, unknown>;
  const nested = record.error_response;
  if (typeof nested === "object" && nested !== null && !Array.isArray(nested)) return fromJson(nested);
  const errors = record.errors;
  if (Array.isArray(errors) && typeof errors[0] === "object" && errors[0] !== null) {
    const first = errors[0] as Record<string, unknown>;
    return pick(first.id, first.message);
  }
  const message =
    nonEmpty(record.message) ?? nonEmpty(record.error_details) ?? nonEmpty(record.error_description);
  return pick(record.error ?? record.code, message);
}

function pick(code: unknown, message: unknown): { coinbaseCode?: string; coinbaseMessage?: string } {
  const out: { coinbaseCode?: string; coinbaseMessage?: string } = {};
  if (typeof code === "string" && code !== "") out.coinbaseCode = code.slice(0, 80);
  else if (typeof code === "number") out.coinbaseCode = String(code);
  if (typeof message === "string" && message !== "") out.coinbaseMessage = message.slice(0, MAX_MESSAGE);
  return out;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** True for a body that is an HTML page (by content type or by its first tag). */
export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  return (
    (contentType ?? "").toLowerCase().includes("text/html") ||
    /^<(!doctype|html|head|body)\b/i.test(text.trimStart())
  );
}

/**
 * Seconds to wait from `Retry-After` (seconds or an HTTP date) or `x-ratelimit-reset` (seconds until
 * the window resets; a value that looks like a Unix time is read as one). Undefined when neither says.
 */
export function retryAfterSeconds(
  header: (name: string) => string | undefined,
  nowMs: number,
): number | undefined {
  const retryAfter = header("retry-after")?.trim();
  if (retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, (at - nowMs) / 1000);
  }
  const reset = header("x-ratelimit-reset")?.trim();
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    return value > 1_000_000_000 ? Math.max(0, value - nowMs / 1000) : value;
  }
  return undefined;
}
