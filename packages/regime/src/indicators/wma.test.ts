import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededNormal } from "../testing/series.js";
import { Wma } from "./wma.js";

function naiveWma(win: readonly number[]): number {
  let num = 0;
  for (let i = 0; i < win.length; i++) num += (i + 1) * (win[i] as number);
  return num / ((win.length * (win.length + 1)) / 2);
}

describe("Wma", () => {
  it("weights the newest value most (hand-checked)", () => {
    const wma = new Wma({ period: 3 });
    // (1*1 + 2*2 + 3*3)/6 = 14/6; (1*2 + 2*3 + 3*10)/6 = 38/6
    expect([1, 2, 3, 10].map((x) => wma.update(x))).toEqual([undefined, undefined, 14 / 6, 38 / 6]);
  });

  it("matches the direct formula on arbitrary streams", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(
          fc.integer({ min: -1e8, max: 1e8 }).map((i) => i / 100),
          { minLength: 1, maxLength: 60 },
        ),
        (period, xs) => {
          const wma = new Wma({ period });
          xs.forEach((x, i) => {
            const v = wma.update(x);
            if (i + 1 < period) expect(v).toBeUndefined();
            else {
              const win = xs.slice(i + 1 - period, i + 1);
              const scale = xs
                .slice(Math.max(0, i + 1 - 2 * period), i + 1)
                .reduce((a, b) => a + Math.abs(b), 0);
              expect(Math.abs((v as number) - naiveWma(win))).toBeLessThanOrEqual(1e-12 * scale + 1e-12);
            }
          });
        },
      ),
    );
  });

  it("stays accurate over a long stream at a high price level", () => {
    const normal = seededNormal(5);
    const wma = new Wma({ period: 30 });
    const xs: number[] = [];
    let price = 60_000;
    let v: number | undefined;
    for (let i = 0; i < 500_000; i++) {
      price *= Math.exp(0.001 * normal());
      xs.push(price);
      v = wma.update(price);
    }
    expect(Math.abs((v as number) - naiveWma(xs.slice(-30))) / (v as number)).toBeLessThan(1e-13);
  });
});
