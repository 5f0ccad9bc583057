// The one exactly-once delivery mechanism (src/incidents/delivery.ts) that GitHub issues and the
// Statuspage push share: a lease, the work, and on failure a release with a doubling backoff.
import { deliverOnce, retryDelayMs, type DeliveryLedger, type LeaseRequest } from "../../src/incidents/delivery.js";

const NOW = new Date("2025-08-12T16:00:00Z");
const clock = { now: () => NOW };

/** One item's ledger in memory, leased as the stores lease it. */
function memoryLedger(options: { held?: boolean } = {}) {
  const state = { attempts: 0, leases: [] as LeaseRequest[], released: [] as { error: string; nextAttemptAt: Date }[] };
  const ledger: DeliveryLedger = {
    async claim(lease) {
      if (options.held) return null;
      state.leases.push(lease);
      return { attempts: ++state.attempts };
    },
    async release(error, nextAttemptAt) {
      state.released.push({ error, nextAttemptAt });
    },
  };
  return { ledger, state };
}

describe("deliverOnce", () => {
  it("delivers under a lease of the given length, waiting out backoffs unless told otherwise", async () => {
    const { ledger, state } = memoryLedger();
    expect(await deliverOnce(ledger, async () => 42, { clock, leaseMs: 60_000 })).toEqual({ outcome: "delivered", result: 42 });
    await deliverOnce(ledger, async () => 43, { clock, leaseMs: 1_000, ignoreBackoff: true });
    expect(state.leases).toEqual([
      { now: NOW, until: new Date(NOW.getTime() + 60_000), ignoreBackoff: false },
      { now: NOW, until: new Date(NOW.getTime() + 1_000), ignoreBackoff: true },
    ]);
    expect(state.released).toEqual([]);
  });

  it("does nothing when the item cannot be claimed", async () => {
    const { ledger } = memoryLedger({ held: true });
    let worked = false;
    const work = async () => (worked = true);
    expect(await deliverOnce(ledger, work, { clock, leaseMs: 60_000 })).toEqual({ outcome: "not_claimed" });
    expect(worked).toBe(false);
  });

  it("records a failure and releases the item until its backoff is over, without throwing", async () => {
    const { ledger, state } = memoryLedger();
    const failing = async () => {
      throw new Error("GitHub said 502");
    };
    const first = await deliverOnce(ledger, failing, { clock, leaseMs: 60_000 });
    const second = await deliverOnce(ledger, failing, { clock, leaseMs: 60_000 });
    expect(first).toEqual({ outcome: "failed", error: "GitHub said 502", attempts: 1, retryAt: new Date(NOW.getTime() + 60_000) });
    expect(second).toMatchObject({ attempts: 2, retryAt: new Date(NOW.getTime() + 120_000) });
    expect(state.released.map((r) => r.error)).toEqual(["GitHub said 502", "GitHub said 502"]);
  });

  it("backs off a minute, doubling per attempt, at most an hour", () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempts) => retryDelayMs(attempts) / 60_000);
    expect(minutes).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });
});
