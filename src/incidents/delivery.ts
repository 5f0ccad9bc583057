// Delivering something to another system exactly once, whatever fails half way: an action item's
// GitHub issue (actionItems.ts) and a public update on Atlassian Statuspage
// (src/atlassianStatuspage/push.ts) both go this way. The recipe:
//  1. lease the item with one conditional UPDATE (`claim`): of any number of workers and replicas,
//     one holds it until the lease runs out; an item already delivered, held by another worker, or
//     waiting out its backoff is not taken (a person's explicit request may skip the backoff);
//  2. `deliver` looks at the other system before writing to it (an earlier attempt may have died
//     after the other system answered and before we saved), writes only what is missing, and
//     saves the result, which ends the lease;
//  3. a failure records the error and releases the item until its backoff is over (a minute,
//     doubling per attempt, at most an hour); the sweeper tries again, also after a restart, and
//     the lease of a process that died runs out.
/** What a lease asks of the store: hold the item from `now` until `until`. */
export interface LeaseRequest {
  now: Date;
  until: Date;
  /** Take the item even while it waits out a backoff (a person asked; the sweeper waits). */
  ignoreBackoff: boolean;
}

/** The store's side of one item's delivery. */
export interface DeliveryLedger {
  /** Takes the item; null when it is delivered, held, or backing off. `attempts` counts this one. */
  claim(lease: LeaseRequest): Promise<{ attempts: number } | null>;
  /** Releases the item after a failed attempt: it is due again from `nextAttemptAt`. */
  release(error: string, nextAttemptAt: Date): Promise<void>;
}

/** How long a failed item waits after its `attempts`th attempt: one minute, doubling, at most an hour. */
export const retryDelayMs = (attempts: number) => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export type DeliveryOutcome<T> =
  | { outcome: "delivered"; result: T }
  /** Someone else holds it, it is delivered, or it is backing off: nothing was done. */
  | { outcome: "not_claimed" }
  | { outcome: "failed"; error: string; attempts: number; retryAt: Date };

/** One attempt at delivering one item (steps 1-3). Never throws for `deliver`'s errors: they are recorded. */
export async function deliverOnce<T>(
  ledger: DeliveryLedger,
  deliver: () => Promise<T>,
  options: { clock: { now(): Date }; leaseMs: number; ignoreBackoff?: boolean },
): Promise<DeliveryOutcome<T>> {
  const now = options.clock.now();
  const until = new Date(now.getTime() + options.leaseMs);
  const lease = await ledger.claim({ now, until, ignoreBackoff: options.ignoreBackoff ?? false });
  if (!lease) return { outcome: "not_claimed" };
  try {
    return { outcome: "delivered", result: await deliver() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryAt = new Date(options.clock.now().getTime() + retryDelayMs(lease.attempts));
    await ledger.release(message, retryAt);
    return { outcome: "failed", error: message, attempts: lease.attempts, retryAt };
  }
}
