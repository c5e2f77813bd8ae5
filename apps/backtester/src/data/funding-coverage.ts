import type { FundingSeries } from "./series.js";

/** A time for a message: ISO to the minute. */
function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

/**
 * Warnings for funding files that miss the bars they belong to: none of their times falls within
 * the bars (a file in the wrong unit or for another period: no funding is charged at all), or they
 * start or end more than one funding interval inside the bars (funding is charged only in part).
 */
export function fundingCoverageWarnings(
  series: readonly { symbol: string; funding: FundingSeries | undefined; first: number; last: number }[],
): string[] {
  const warnings: string[] = [];
  for (const { symbol, funding, first, last } of series) {
    if (funding === undefined || funding.length === 0 || Number.isNaN(first)) continue;
    const fundingFirst = funding.time[0] as number;
    const fundingLast = funding.time[funding.length - 1] as number;
    let inside = 0;
    for (let i = 0; i < funding.length; i++) {
      const t = funding.time[i] as number;
      if (t >= first && t <= last) inside++;
    }
    const span = `funding ${isoMinute(fundingFirst)} to ${isoMinute(fundingLast)}, bars ${isoMinute(first)} to ${isoMinute(last)}`;
    if (inside === 0) {
      warnings.push(
        `${symbol}: no funding time of ${funding.source} falls within the bars (${span}); no funding was charged`,
      );
    } else if (fundingFirst > first + funding.intervalMs || fundingLast < last - funding.intervalMs) {
      warnings.push(
        `${symbol}: ${funding.source} covers only part of the bars (${span}); funding was charged only there`,
      );
    }
  }
  return warnings;
}
