// Who a use case acts for: the person who asked, and the request that asked, whose key makes a
// repeated request (Slack retries, a double press) write nothing twice.
import type { UserId } from "./model.js";

/** Who asked, and the key that makes a repeated request a no-op (Slack's trigger id). */
export interface Actor {
  userId: UserId;
  requestKey: string;
}

/** The source key of the timeline entry a request writes: one entry per request, however often it arrives. */
export const entryKeyOf = (actor: Actor) => `command:${actor.requestKey}`;
