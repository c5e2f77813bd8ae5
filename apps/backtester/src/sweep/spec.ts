import { createSeededRng } from "@gpt/core";
import { BacktestError } from "../errors.js";
import { excerpt } from "../excerpt.js";

/** One point of a search: strategy parameter name → value, as the command line would give it. */
export type ParamPoint = Readonly<Record<string, string>>;

/**
 * One searched parameter. `values` is a finite list (`--grid fast=5,10,20`, `--grid slow=50:200:50`
 * or `--space mode=a,b`); `range` is an interval for random search (`--space fast=5..50`), of
 * integers when both bounds are written as integers.
 */
export type ParamAxis =
  | { readonly kind: "values"; readonly name: string; readonly values: readonly string[] }
  | {
      readonly kind: "range";
      readonly name: string;
      readonly min: number;
      readonly max: number;
      readonly integer: boolean;
    };

/** What to search: every combination of the axes, or `samples` random points drawn with `seed`. */
export type SearchSpec =
  | { readonly mode: "grid"; readonly axes: readonly ParamAxis[] }
  | {
      readonly mode: "random";
      readonly axes: readonly ParamAxis[];
      readonly samples: number;
      readonly seed: number;
    };

/** Raw search options as the command line gives them. */
export interface RawSearchOptions {
  grid?: string[];
  space?: string[];
  random?: string;
  searchSeed?: string;
}

/** Most points a grid may have (a guard against a typo like `1:1000000:1`). */
const MAX_POINTS = 100_000;

/** Parameter names as `parseParamArgs` of `@gpt/strategies` accepts them (dots for nested ones). */
const NAME = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
const INTEGER = /^-?\d+$/;

function bad(option: string, value: string, why: string): never {
  throw new BacktestError("bad-argument", `${option} ${excerpt(String(value))}: ${why}`);
}

function splitNameValue(option: string, arg: string): [string, string] {
  const eq = arg.indexOf("=");
  if (eq <= 0 || eq === arg.length - 1) bad(option, arg, "expected NAME=VALUES");
  const name = arg.slice(0, eq);
  if (!NAME.test(name)) bad(option, arg, "parameter names are words separated by dots (fast, trend.slow)");
  return [name, arg.slice(eq + 1)];
}

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Formats `x` with at most `decimals` decimals and no trailing zeros (`50`, `0.25`, `-1.5`). */
function formatNumber(x: number, decimals: number): string {
  const text = x.toFixed(decimals);
  const trimmed = decimals > 0 ? text.replace(/\.?0+$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}

function parseList(option: string, arg: string, name: string, text: string): ParamAxis {
  const values = text.split(",");
  if (values.some((v) => v === "" || v.trim() !== v)) bad(option, arg, "empty or padded value in the list");
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) bad(option, arg, `value ${excerpt(dup)} given twice`);
  return { kind: "values", name, values };
}

/**
 * Parses one `--grid` argument: `NAME=v1,v2,...` (any values, checked later by the strategy) or
 * `NAME=start:stop:step` (numbers, `stop` included when the steps land on it).
 */
export function parseGridArg(arg: string): ParamAxis {
  const option = "--grid";
  const [name, text] = splitNameValue(option, arg);
  if (!text.includes(":")) return parseList(option, arg, name, text);
  const parts = text.split(":");
  if (parts.length !== 3 || !parts.every((p) => NUMBER.test(p))) {
    bad(option, arg, "a range is start:stop:step with three numbers (50:200:50)");
  }
  const [startText, stopText, stepText] = parts as [string, string, string];
  const start = Number(startText);
  const stop = Number(stopText);
  const step = Number(stepText);
  if (step <= 0) bad(option, arg, "step must be positive");
  if (start > stop) bad(option, arg, "start must not be above stop");
  const count = Math.floor((stop - start) / step + 1e-9) + 1;
  if (count > MAX_POINTS) bad(option, arg, `more than ${MAX_POINTS} values`);
  const decimals = Math.max(decimalsOf(startText), decimalsOf(stepText));
  const values: string[] = [];
  for (let i = 0; i < count; i++) values.push(formatNumber(start + i * step, decimals));
  return { kind: "values", name, values };
}

/**
 * Parses one `--space` argument for random search: `NAME=min..max` (integers when both bounds are
 * integers, else reals; `min < max`) or a list `NAME=a,b,c` to choose from.
 */
export function parseSpaceArg(arg: string): ParamAxis {
  const option = "--space";
  const [name, text] = splitNameValue(option, arg);
  if (!text.includes("..")) return parseList(option, arg, name, text);
  const parts = text.split("..");
  if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) {
    bad(option, arg, "a range is min..max with two numbers (5..50, 0.5..2)");
  }
  const [minText, maxText] = parts as [string, string];
  const min = Number(minText);
  const max = Number(maxText);
  if (!(min < max)) bad(option, arg, "min must be below max");
  return { kind: "range", name, min, max, integer: INTEGER.test(minText) && INTEGER.test(maxText) };
}

/**
 * Checks and converts the search options. Without `--random` it is a grid over the `--grid` axes;
 * with `--random N` it draws N points from the `--space` axes and any `--grid` axes (as lists to
 * choose from). A name may appear once across `--grid`, `--space` and the fixed `--param`s.
 */
export function parseSearchSpec(
  raw: RawSearchOptions,
  fixedParams: Readonly<Record<string, string>>,
  defaultSeed: number,
): SearchSpec {
  const axes = [...(raw.grid ?? []).map(parseGridArg), ...(raw.space ?? []).map(parseSpaceArg)];
  const seen = new Set<string>();
  for (const axis of axes) {
    if (seen.has(axis.name)) bad("--grid/--space", axis.name, "parameter searched twice");
    if (axis.name in fixedParams) bad("--grid/--space", axis.name, "also fixed with --param");
    seen.add(axis.name);
  }
  if (raw.random === undefined) {
    if ((raw.space ?? []).length > 0) bad("--space", raw.space?.[0] ?? "", "ranges need --random N");
    if (raw.searchSeed !== undefined) bad("--search-seed", raw.searchSeed, "applies to --random only");
    if (axes.length === 0) {
      throw new BacktestError(
        "bad-argument",
        "nothing to search: give --grid NAME=VALUES (or --random N --space)",
      );
    }
    const points = axes.reduce((n, a) => n * (a.kind === "values" ? a.values.length : 1), 1);
    if (points > MAX_POINTS) bad("--grid", String(points), `the grid has more than ${MAX_POINTS} points`);
    return { mode: "grid", axes };
  }
  if (!INTEGER.test(raw.random) || Number(raw.random) < 1 || Number(raw.random) > MAX_POINTS) {
    bad("--random", raw.random, `must be a whole number from 1 to ${MAX_POINTS}`);
  }
  if (axes.length === 0) {
    throw new BacktestError("bad-argument", "--random needs at least one --space NAME=MIN..MAX (or --grid)");
  }
  let seed = defaultSeed;
  if (raw.searchSeed !== undefined) {
    if (!INTEGER.test(raw.searchSeed) || Number(raw.searchSeed) < 0 || Number(raw.searchSeed) > 2 ** 32 - 1) {
      bad("--search-seed", raw.searchSeed, "must be a whole number from 0 to 4294967295");
    }
    seed = Number(raw.searchSeed);
  }
  return { mode: "random", axes, samples: Number(raw.random), seed };
}

/**
 * Every combination of the axes' values, the first axis varying slowest (`fast=5,10 slow=50,100`
 * gives 5/50, 5/100, 10/50, 10/100). Range axes are not enumerable and are rejected.
 */
export function enumerateGrid(axes: readonly ParamAxis[]): ParamPoint[] {
  let points: Record<string, string>[] = [{}];
  for (const axis of axes) {
    if (axis.kind !== "values") {
      throw new BacktestError(
        "bad-argument",
        `--space ${axis.name}: a range cannot be enumerated; use --random`,
      );
    }
    const next: Record<string, string>[] = [];
    for (const point of points) for (const value of axis.values) next.push({ ...point, [axis.name]: value });
    points = next;
  }
  return points;
}

/** A stable key of a point (its entries sorted by name). */
export function pointKey(point: ParamPoint): string {
  return JSON.stringify(Object.entries(point).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Draws one value of a range: a uniform integer in [min, max], or a real in [min, max) to 6 significant digits. */
function drawRange(axis: Extract<ParamAxis, { kind: "range" }>, u: number): string {
  if (axis.integer) return String(axis.min + Math.floor(u * (axis.max - axis.min + 1)));
  return String(Number((axis.min + u * (axis.max - axis.min)).toPrecision(6)));
}

/**
 * Draws up to `count` distinct points from the axes with the seeded generator of `@gpt/core` (the
 * same seed gives the same points). Points `accept` rejects (invalid combinations such as
 * `fast >= slow`) and repeats are drawn again, up to `50 × count` draws in all, so the result can
 * be shorter than `count` when the space is small or mostly invalid.
 */
export function sampleRandom(
  axes: readonly ParamAxis[],
  count: number,
  seed: number,
  accept: (point: ParamPoint) => boolean = () => true,
): ParamPoint[] {
  const rng = createSeededRng(seed);
  const out: ParamPoint[] = [];
  const seen = new Set<string>();
  const maxDraws = 50 * count;
  for (let draw = 0; draw < maxDraws && out.length < count; draw++) {
    const point: Record<string, string> = {};
    for (const axis of axes) {
      const u = rng.next();
      point[axis.name] =
        axis.kind === "range"
          ? drawRange(axis, u)
          : (axis.values[Math.floor(u * axis.values.length)] as string);
    }
    const key = pointKey(point);
    if (seen.has(key)) continue;
    seen.add(key);
    if (accept(point)) out.push(point);
  }
  return out;
}

/** How many points the search runs at most (grid combinations, or random samples). */
export function searchSize(spec: SearchSpec): number {
  return spec.mode === "random"
    ? spec.samples
    : spec.axes.reduce((n, a) => n * (a.kind === "values" ? a.values.length : 1), 1);
}

/** Describes an axis as the command line wrote it (for reports). */
export function describeAxis(axis: ParamAxis): string {
  return axis.kind === "values"
    ? `${axis.name}=${axis.values.join(",")}`
    : `${axis.name}=${axis.min}..${axis.max}`;
}
