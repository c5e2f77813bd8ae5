/**
 * How messages quote user data: at most a short, escaped excerpt, and never a value that could be a
 * credential. A `.env` or key file passed where a CSV belongs must not print its secret on stderr
 * (or into a CI log), and a 40 MB line must not be echoed whole.
 */

/** The most characters of user data a message quotes. */
const MAX_EXCERPT_CHARS = 24;

/** Words and shapes that mark text as a possible credential. */
const SECRET_WORDS = /secret|passw|token|api[-_]?key|private|bearer|authoriz|credential|-----BEGIN|\bsk[-_]/i;
/** A run of key-like characters (a token, a key, a hash, a password). */
const KEY_LIKE = /[A-Za-z0-9+/_=-]{8,}/g;

/**
 * Whether `text` could be (or contain) a credential and must not be quoted: it names one (`secret`,
 * `token`, `-----BEGIN`, `sk-`…), or has a run of 16 or more key characters mixing letters and
 * digits (a key or token), or of 8 or more mixing lower case, upper case and digits (a password).
 * Dates (`2024-01-01T12`), symbols (`BTC-USD`) and parameters (`fast=5`) stay quotable.
 */
export function looksSecret(text: string): boolean {
  if (SECRET_WORDS.test(text)) return true;
  for (const run of text.match(KEY_LIKE) ?? []) {
    const digits = /[0-9]/.test(run);
    const lower = /[a-z]/.test(run);
    const upper = /[A-Z]/.test(run);
    if (digits && lower && upper) return true;
    if (run.length >= 16 && digits && (lower || upper)) return true;
  }
  return false;
}

/** `text` with every character outside printable ASCII escaped (`\n`, `\u0000`, `\u00e9`). */
function escapeText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return out;
}

/**
 * User text for a message: double-quoted and escaped, cut to `max` characters (with `…` and the
 * full length when cut), or a description without the text when it could be a credential.
 */
export function excerpt(text: string, max = MAX_EXCERPT_CHARS): string {
  if (looksSecret(text)) return `(${text.length} characters, not shown)`;
  const chars = Array.from(text);
  if (chars.length <= max) return `"${escapeText(text)}"`;
  return `"${escapeText(chars.slice(0, max).join(""))}…" (${chars.length} characters)`;
}

/** Characters that can appear in a number cell, right or wrong (`1e5`, `-0.5`, `0x10`, `+5`). */
const NUMBERISH = /^[0-9eE.+\-xX]*$/;

/** What kind of character `ch` is, for a message that must not show it. */
function kindOf(ch: string): string {
  if (/[A-Za-z]/.test(ch)) return "a letter";
  if (/[0-9]/.test(ch)) return "a digit";
  if (ch === " " || ch === "\t") return "a space";
  const code = ch.codePointAt(0) as number;
  if (code < 0x20 || code === 0x7f) return "a control character";
  if (code > 0x7f) return "a non-ASCII character";
  return `"${escapeText(ch)}"`;
}

/**
 * A CSV cell for a message about it. Short cells made of number characters are quoted (`"0x10"`,
 * `" 1"` is not: it has a space); anything else is described without showing it: its length and
 * the first character that cannot be part of a number (`9 characters, not shown: a letter at
 * character 1`), so a stray secret or a long binary run never reaches the terminal.
 */
export function describeCell(cell: string): string {
  if (cell === "") return "empty";
  if (cell.length <= MAX_EXCERPT_CHARS && NUMBERISH.test(cell)) return `"${cell}"`;
  const chars = Array.from(cell);
  const at = chars.findIndex((ch) => !/[0-9eE.+\-xX]/.test(ch));
  const where = at < 0 ? "" : `: ${kindOf(chars[at] as string)} at character ${at + 1}`;
  return `${chars.length} characters, not shown${where}`;
}

/** The shortest start of a risky value that `redact` removes when a message quotes it cut short. */
const MIN_REDACTED_PREFIX = 6;

/**
 * `message` with every span that repeats `value`, or a start of it of at least
 * `MIN_REDACTED_PREFIX` characters (a message may quote a value cut short), replaced by `safe`.
 */
function replaceQuoted(message: string, value: string, safe: string): string {
  const probe = value.slice(0, Math.min(value.length, MIN_REDACTED_PREFIX));
  let out = "";
  let from = 0;
  for (let at = message.indexOf(probe, from); at >= 0; at = message.indexOf(probe, from)) {
    let end = at + probe.length;
    while (end < message.length && end - at < value.length && message[end] === value[end - at]) end++;
    out += message.slice(from, at) + safe;
    from = end;
  }
  return out + message.slice(from);
}

/**
 * A message from another package with the user's `values` in it made safe: every value that
 * `excerpt` would not quote as it is (a secret, a long text, control characters) is replaced by its
 * excerpt wherever the message repeats it, whole or cut short, raw or JSON-escaped. Short plain
 * values stay as they are.
 */
export function redact(message: string, values: readonly string[]): string {
  let out = message;
  const risky = values.filter((v) => v !== "" && excerpt(v) !== JSON.stringify(v));
  // Longest first, so a value inside another is not replaced inside the other's excerpt.
  for (const value of [...risky].sort((a, b) => b.length - a.length)) {
    const safe = excerpt(value);
    out = replaceQuoted(out, value, safe);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) out = replaceQuoted(out, escaped, safe);
  }
  return out;
}

/** `text` on one line: line breaks and other control characters escaped. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  return text.replace(/[\u0000-\u001f\u007f]/g, (ch) =>
    ch === "\n"
      ? "\\n"
      : ch === "\r"
        ? "\\r"
        : ch === "\t"
          ? "\\t"
          : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
