import { describe, expect, it } from "vitest";
import { AuditLog } from "./audit.js";

describe("AuditLog", () => {
  it("keeps the newest `limit` requests and WebSocket messages, oldest first, numbered from 1", () => {
    const audit = new AuditLog(3);
    for (let i = 0; i < 2_500; i++) {
      audit.record({ time: i, method: "GET", path: "/time", query: "", status: 200, responseBody: {} });
      audit.recordWs({
        time: i,
        connection: 1,
        endpoint: "market",
        direction: "sent",
        channel: "heartbeats",
        message: {},
      });
    }
    expect(audit.entries().map((e) => e.seq)).toEqual([2_498, 2_499, 2_500]);
    expect(audit.wsEntries().map((e) => e.seq)).toEqual([2_498, 2_499, 2_500]);
    expect(audit.entries({ status: 200 })).toHaveLength(3);
    expect(audit.wsEntries({ connection: 2 })).toEqual([]);
  });
});
