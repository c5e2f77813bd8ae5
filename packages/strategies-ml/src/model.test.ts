import { createSeededRng } from "@gpt/core";
import { StrategyError } from "@gpt/strategies";
import { describe, expect, it } from "vitest";
import { createFeatureSchema } from "./features.js";
import {
  loadSelectorModel,
  SELECTOR_MODEL_FORMAT,
  SELECTOR_MODEL_VERSION,
  type SelectorModel,
  type SelectorModelOptionsInput,
  type SerializedSelectorModel,
  trainSelectorModel,
} from "./model.js";
import { SMALL_FEATURES } from "./test-support.js";

const schema = createFeatureSchema(SMALL_FEATURES);
const width = schema.names.length;
const candidates = [
  { name: "flat", params: {} },
  { name: "buy-and-hold", params: {} },
  { name: "sma-cross", params: { fast: 2, slow: 5 } },
];

/** Rows whose label is a simple function of two columns. */
function dataset(count: number, seed: number): { rows: number[][]; labels: number[] } {
  const rng = createSeededRng(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = Array.from({ length: width }, () => rng.next() * 2 - 1);
    rows.push(row);
    labels.push(row[7]! > 0.3 ? 1 : row[8]! < -0.2 ? 2 : 0);
  }
  return { rows, labels };
}

function train(model: SelectorModelOptionsInput, seed = 7, count = 300): SelectorModel {
  const { rows, labels } = dataset(count, 1);
  return trainSelectorModel({
    featureSchema: schema,
    candidates,
    rows,
    labels,
    horizon: 12,
    turnoverCost: 0.0005,
    firstTsEvent: 1,
    lastTsEvent: 2,
    model,
    seed,
  });
}

function errorOf(fn: () => unknown): StrategyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyError) return e;
    throw e;
  }
  throw new Error("expected a StrategyError");
}

const forest = train({ kind: "random-forest", nEstimators: 15, maxDepth: 5, minNumSamples: 5 });
const logistic = train({ kind: "logistic-regression", numSteps: 400, learningRate: 1 });

describe.each([
  ["random-forest", forest],
  ["logistic-regression", logistic],
])("%s selector", (kind, model) => {
  const test = dataset(200, 99);

  it("learns the rule out of sample, with probabilities summing to 1", () => {
    let correct = 0;
    test.rows.forEach((row, i) => {
      const p = model.predictProbabilities(row);
      expect(p).toHaveLength(3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
      const best = p.indexOf(Math.max(...p));
      if (best === test.labels[i]) correct++;
    });
    expect(model.kind).toBe(kind);
    expect(correct / test.rows.length).toBeGreaterThan(0.8);
  });

  it("round-trips through JSON text with identical predictions", () => {
    const text = JSON.stringify(model.toJSON());
    const loaded = loadSelectorModel(text);
    expect(loaded.toJSON()).toEqual(JSON.parse(text));
    for (const row of test.rows) {
      expect(Array.from(loaded.predictProbabilities(row))).toEqual(
        Array.from(model.predictProbabilities(row)),
      );
    }
    expect(loaded.candidates).toEqual(candidates);
    expect(loaded.horizon).toBe(12);
    expect(loaded.training).toMatchObject({ samples: 300, seed: 7 });
  });

  it("serialises the versioned envelope with its feature schema", () => {
    const json = model.toJSON();
    expect(json.format).toBe(SELECTOR_MODEL_FORMAT);
    expect(json.version).toBe(SELECTOR_MODEL_VERSION);
    expect(json.featureSchema.names).toEqual(schema.names);
    expect(json.model.kind).toBe(kind);
  });
});

describe("training", () => {
  it("is deterministic for a seed", () => {
    const options = { kind: "random-forest", nEstimators: 5, maxDepth: 3 } as const;
    expect(JSON.stringify(train(options, 3, 120).toJSON())).toEqual(
      JSON.stringify(train(options, 3, 120).toJSON()),
    );
    expect(JSON.stringify(train(options, 3, 120).toJSON().model)).not.toEqual(
      JSON.stringify(train(options, 4, 120).toJSON().model),
    );
  });

  it("maps the classes present to candidates (logistic regression without class 0)", () => {
    const { rows } = dataset(80, 5);
    const labels = rows.map((r) => (r[7]! > 0 ? 1 : 2));
    const model = trainSelectorModel({
      featureSchema: schema,
      candidates,
      rows,
      labels,
      horizon: 1,
      turnoverCost: 0,
      firstTsEvent: 0,
      lastTsEvent: 0,
      model: { kind: "logistic-regression" },
    });
    const json = model.toJSON().model;
    expect(json.kind === "logistic-regression" && json.classes).toEqual([1, 2]);
    expect(model.predictProbabilities(rows[0]!)[0]).toBe(0);
  });

  it("refuses inconsistent input and bad options", () => {
    const base = {
      featureSchema: schema,
      candidates,
      horizon: 1,
      turnoverCost: 0,
      firstTsEvent: 0,
      lastTsEvent: 0,
    };
    const row = new Array(width).fill(0);
    expect(errorOf(() => trainSelectorModel({ ...base, rows: [], labels: [] })).code).toBe("invalid-input");
    expect(errorOf(() => trainSelectorModel({ ...base, rows: [row], labels: [3] })).code).toBe(
      "invalid-input",
    );
    expect(errorOf(() => trainSelectorModel({ ...base, rows: [[1, 2]], labels: [0] })).code).toBe(
      "invalid-input",
    );
    expect(
      errorOf(() => trainSelectorModel({ ...base, rows: [row.map(() => Number.NaN)], labels: [0] })).code,
    ).toBe("invalid-input");
    const bad = errorOf(() =>
      trainSelectorModel({
        ...base,
        rows: [row],
        labels: [0],
        model: { kind: "random-forest", maxDepth: 0 },
      }),
    );
    expect(bad).toMatchObject({ code: "invalid-params", param: "model.maxDepth" });
    expect(errorOf(() => forest.predictProbabilities([1, 2, 3])).code).toBe("invalid-input");
  });
});

type Op = { readonly set: unknown } | { readonly push: unknown } | "delete" | "pop";

/** A deep copy of `source` with one change at `path`. */
function edited(source: unknown, path: readonly (string | number)[], op: Op): unknown {
  const copy = JSON.parse(JSON.stringify(source)) as unknown;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (op === "delete") delete node[last];
  else if (op === "pop") (node[last] as unknown[]).pop();
  else if ("set" in op) node[last] = op.set;
  else (node[last] as unknown[]).push(op.push);
  return copy;
}

describe("loadSelectorModel refuses", () => {
  const good = (): SerializedSelectorModel =>
    JSON.parse(JSON.stringify(forest.toJSON())) as SerializedSelectorModel;
  const mutate = (path: readonly (string | number)[], op: Op): unknown => edited(forest.toJSON(), path, op);

  it.each([
    ["a wrong format", mutate(["format"], { set: "something-else" }), "invalid-model"],
    ["a newer format version", mutate(["version"], { set: 2 }), "unsupported-model-version"],
    [
      "another feature-schema version",
      mutate(["featureSchema", "version"], { set: 2 }),
      "feature-schema-mismatch",
    ],
    [
      "another feature-schema id",
      mutate(["featureSchema", "id"], { set: "other" }),
      "feature-schema-mismatch",
    ],
    [
      "renamed features",
      mutate(["featureSchema", "names", 0], { set: "regime.other" }),
      "feature-schema-mismatch",
    ],
    [
      "parameters that give other names",
      mutate(["featureSchema", "params", "zScorePeriod"], { set: 21 }),
      "feature-schema-mismatch",
    ],
    ["a missing candidate list", mutate(["candidates"], "delete"), "invalid-model"],
    [
      "a tree reading a missing column",
      mutate(["model", "json", "baseModel", "indexes", 0, 0], { set: 999 }),
      "invalid-model",
    ],
    ["a broken forest", mutate(["model", "json", "baseModel", "estimators"], { set: [{}] }), "invalid-model"],
    ["class counts of the wrong length", mutate(["training", "classCounts"], { push: 1 }), "invalid-model"],
    ["an unknown key", mutate(["extra"], { set: 1 }), "invalid-model"],
    ["invalid JSON text", "{not json", "invalid-model"],
    ["a number", 5, "invalid-model"],
  ])("%s", (_what, input, code) => {
    expect(errorOf(() => loadSelectorModel(input)).code).toBe(code);
  });

  it("logistic weights of the wrong width", () => {
    const m = edited(logistic.toJSON(), ["model", "json", "classifiers", 0, "weights", 0], "pop");
    expect(errorOf(() => loadSelectorModel(m)).code).toBe("invalid-model");
  });

  it("a schema other than the expected one", () => {
    expect(loadSelectorModel(good(), { expectedFeatureSchema: SMALL_FEATURES }).featureSchema).toEqual(
      schema,
    );
    expect(loadSelectorModel(good(), { expectedFeatureSchema: schema }).featureSchema).toEqual(schema);
    const e = errorOf(() => loadSelectorModel(good(), { expectedFeatureSchema: {} }));
    expect(e).toMatchObject({ code: "feature-schema-mismatch", name: "StrategyError" });
    expect(
      errorOf(() => loadSelectorModel(good(), { expectedFeatureSchema: { ...SMALL_FEATURES, rsiPeriod: 9 } }))
        .code,
    ).toBe("feature-schema-mismatch");
    // A regime configuration does not show in the names; only the expected schema can catch it.
    const otherRegime = mutate(["featureSchema", "params", "regime", "adxPeriod"], { set: 7 });
    expect(loadSelectorModel(otherRegime).featureSchema.params.regime.adxPeriod).toBe(7);
    expect(
      errorOf(() => loadSelectorModel(otherRegime, { expectedFeatureSchema: SMALL_FEATURES })).code,
    ).toBe("feature-schema-mismatch");
  });
});
