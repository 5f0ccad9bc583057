// Every message event in an incident channel: new messages, thread replies, edits, deletions
// (including a thread parent deleted after it had replies, which Slack sends as a change to a
// "tombstone" placeholder).
// With processBeforeResponse the HTTP answer waits for the write, so a failed write is a 500 and
// Slack delivers the event again; the keyed writes make that redelivery harmless.
// Every subtype comes to this one handler, through the one listener for all events (../routes.ts).
import { captureDeletion, captureEdit, captureMessage } from "../../../incidents/capture.js";
import { slackTsToDate } from "../../../incidents/slackTime.js";
import type { ListenerContext } from "../../context.js";
import { isFromAPerson, isTombstone, messageText, toCapturedMessage, type SlackMessage } from "../../messages.js";
import { onEvent, type EventHandler } from "../routes.js";

interface MessageEvent extends SlackMessage {
  channel: string;
  message?: SlackMessage;
  previous_message?: SlackMessage;
  deleted_ts?: string;
  event_ts?: string;
}

export const eventHandlers = (ctx: ListenerContext): Record<string, EventHandler> => ({
  message: onEvent<"message">(async ({ event }) => {
    const e = event as unknown as MessageEvent;
    if (e.subtype === "channel_join" || e.subtype === "bot_message" || e.bot_id) return; // cheap exits first
    const incidentId = await ctx.locator.incidentIdFor(e.channel);
    if (!incidentId) return;

    if (e.subtype === "message_changed" && isTombstone(e.message)) {
      const previous = e.previous_message && isFromAPerson(e.previous_message) ? toCapturedMessage(e.previous_message) : null;
      await captureDeletion(ctx.deps, incidentId, e.message!.ts, slackTsToDate(e.event_ts ?? e.ts), previous);
    } else if (e.subtype === "message_changed" && e.message) {
      // Unfurls and reply counts also arrive as message_changed; only a real edit carries `edited`.
      if (!e.message.edited || !isFromAPerson(e.message)) return;
      const message = toCapturedMessage(e.message);
      await captureEdit(
        ctx.deps,
        incidentId,
        { ...message, editedTs: e.message.edited.ts },
        e.previous_message ? messageText(e.previous_message) : null,
      );
    } else if (e.subtype === "message_deleted" && e.deleted_ts) {
      const previous = e.previous_message && isFromAPerson(e.previous_message) ? toCapturedMessage(e.previous_message) : null;
      await captureDeletion(ctx.deps, incidentId, e.deleted_ts, slackTsToDate(e.event_ts ?? e.ts), previous);
    } else if (isFromAPerson(e)) {
      await captureMessage(ctx.deps, incidentId, toCapturedMessage(e));
    }
  }),
});
