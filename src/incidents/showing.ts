// Recording a change and showing it in Slack are two steps, and only the first is the truth. Slack
// may refuse to show a change (the bot was removed from the channel, the channel was archived or
// deleted, the app lacks a permission) or be down; that must never undo what was recorded, nor stop
// the steps after it (resolve still opens the GitHub issues). So every step that shows a recorded
// change (the pinned header, a note in the channel, the resolution summary) runs through deliver():
// a failure is not thrown; it is reported, as a typed fact, to whoever asked:
//  - during a person's request (src/slack/listeners/afterAck.ts gives the work deps that carry the
//    request's UndeliveredLog), to that person, privately, with what Slack refused and what to do,
//    and to the log;
//  - otherwise (a sweep, a webhook), to the log.
// Nothing is retried blindly: a post whose answer was lost may have been shown, and posting it
// again would show it twice. The header is re-rendered with the next change anyway, and Slack's
// client already retries what is safe to retry (rate limits, connection failures).
import type { IncidentDeps } from "./deps.js";
import { ChannelRefusedError, type ChannelRefusal } from "./errors.js";
import type { Incident } from "./model.js";
import type { Notice, NoticeKind } from "./notices.js";

/**
 * What was to be shown: the pinned header (posted or refreshed), its pin, a note, a new role holder
 * brought into the channel, or what the Slack side posts itself.
 */
export type Showing = "header" | "pin" | "notice" | "invite" | "resolution_summary" | "report" | "report_file" | "announcement";

export interface Delivery {
  what: Showing;
  channelId: string;
  /** For a note: which kind, so the person is told which note did not go out. */
  notice?: NoticeKind;
  incidentNumber?: number;
  /** Reported to the log only: a retry of something someone was already told about (the announcement after a refusal). */
  quiet?: boolean;
}

/** Something recorded that Slack did not show, and why. */
export interface Undelivered extends Delivery {
  /** Slack's refusal, or anything else that went wrong (Slack down), by its message. */
  reason: ChannelRefusal | { code: "failed"; error: string };
  /** The error as thrown, for the log. */
  cause: unknown;
}

/** What one request could not show; the request's edge takes it (to tell the person) as it goes and when it ends. */
export class UndeliveredLog {
  private readonly items: Undelivered[] = [];
  private open = true;

  /** False once the request has ended (work it started that outlives it reports to the log). */
  add(item: Undelivered): boolean {
    if (this.open) this.items.push(item);
    return this.open;
  }

  /** What is not yet told, emptied. */
  take(): Undelivered[] {
    return this.items.splice(0);
  }

  /** Ends the request: what is left, and later reports go to the log. */
  close(): Undelivered[] {
    this.open = false;
    return this.take();
  }
}

/** Runs a step that shows something recorded; a failure is reported (see above) and the step's value is then undefined. */
export async function deliver<T>(
  deps: Pick<IncidentDeps, "logger" | "undelivered">,
  delivery: Delivery,
  step: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    const reason: Undelivered["reason"] =
      error instanceof ChannelRefusedError
        ? error.refusal
        : { code: "failed", error: error instanceof Error ? error.message : String(error) };
    if (!delivery.quiet && deps.undelivered?.add({ ...delivery, reason, cause: error })) return undefined;
    const where = { incident: delivery.incidentNumber, channel: delivery.channelId, showing: delivery.what, notice: delivery.notice };
    if (reason.code === "failed") deps.logger.warn({ ...where, err: error }, "Slack did not show a recorded change");
    else deps.logger.warn({ ...where, refusal: reason }, `Slack refused to show a recorded change: ${reason.code}`);
    return undefined;
  }
}

type NoticeTarget = Pick<Incident, "channelId" | "number">;

/**
 * A note about something recorded, in the incident's channel or, with `to`, elsewhere (another
 * channel, a person's direct messages): see deliver().
 */
export function tell(deps: Pick<IncidentDeps, "logger" | "channel" | "undelivered">, incident: NoticeTarget, notice: Notice, to?: string) {
  const channelId = to ?? incident.channelId;
  const delivery: Delivery = { what: "notice", channelId, notice: notice.kind, incidentNumber: incident.number };
  return deliver(deps, delivery, () => deps.channel.notify(channelId, notice));
}
