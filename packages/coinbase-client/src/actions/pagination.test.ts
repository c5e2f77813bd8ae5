import { describe, expect, it } from "vitest";
import type { ClientContext, RequestSpec } from "../internal/context.js";
import { iterateAccounts } from "./accounts/accounts.js";
import { iterateProducts } from "./products/products.js";
import { iteratePublicProducts } from "./public/public.js";

function scripted(replies: unknown[]): { ctx: ClientContext; specs: RequestSpec[] } {
  const specs: RequestSpec[] = [];
  return {
    specs,
    ctx: {
      newId: () => "id",
      request: async (spec) => {
        specs.push(spec);
        const reply = replies[specs.length - 1];
        if (reply === undefined) throw new Error("no more pages scripted");
        return reply;
      },
    },
  };
}

const account = (n: number) => ({
  uuid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  currency: `C${n}`,
  available_balance: { value: "1", currency: `C${n}` },
});
const product = (n: number) => ({ product_id: `P${n}-USD` });

describe("iterateAccounts", () => {
  it("follows the cursor until has_next is false", async () => {
    const { ctx, specs } = scripted([
      { accounts: [account(1), account(2)], has_next: true, cursor: "c1", size: 2 },
      { accounts: [account(3)], has_next: false, cursor: "", size: 1 },
    ]);
    const currencies: string[] = [];
    for await (const a of iterateAccounts(ctx, { limit: 2 })) currencies.push(a.currency);
    expect(currencies).toEqual(["C1", "C2", "C3"]);
    expect(specs.map((s) => s.query)).toEqual([
      { limit: 2, cursor: undefined, retail_portfolio_id: undefined },
      { limit: 2, cursor: "c1", retail_portfolio_id: undefined },
    ]);
  });

  it("stops on an empty cursor or a cursor that does not move", async () => {
    const stuck = scripted([
      { accounts: [account(1)], has_next: true, cursor: "same" },
      { accounts: [account(2)], has_next: true, cursor: "same" },
    ]);
    const seen: string[] = [];
    for await (const a of iterateAccounts(stuck.ctx)) seen.push(a.currency);
    expect(seen).toEqual(["C1", "C2"]);
    expect(stuck.specs).toHaveLength(2);

    const empty = scripted([{ accounts: [account(1)], has_next: true, cursor: "" }]);
    for await (const _ of iterateAccounts(empty.ctx)) {
      // drain
    }
    expect(empty.specs).toHaveLength(1);
  });
});

describe("iterateProducts", () => {
  it("pages by offset until a short page", async () => {
    const { ctx, specs } = scripted([
      { products: [product(1), product(2)], num_products: 2 },
      { products: [product(3), product(4)], num_products: 2 },
      { products: [product(5)], num_products: 1 },
    ]);
    const ids: string[] = [];
    for await (const p of iterateProducts(ctx, { limit: 2, product_type: "SPOT" })) ids.push(p.product_id);
    expect(ids).toEqual(["P1-USD", "P2-USD", "P3-USD", "P4-USD", "P5-USD"]);
    expect(specs.map((s) => [s.query?.offset, s.query?.limit, s.query?.product_type])).toEqual([
      [0, 2, "SPOT"],
      [2, 2, "SPOT"],
      [4, 2, "SPOT"],
    ]);
  });

  it("public: stops on an empty page, without a key", async () => {
    const { ctx, specs } = scripted([{ products: [product(1)] }, { products: [] }]);
    const ids: string[] = [];
    for await (const p of iteratePublicProducts(ctx, { limit: 1 })) ids.push(p.product_id);
    expect(ids).toEqual(["P1-USD"]);
    expect(specs.map((s) => [s.path, s.auth])).toEqual([
      ["/market/products", "public"],
      ["/market/products", "public"],
    ]);
  });
});
