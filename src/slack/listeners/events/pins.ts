// pin_added, pin_removed: Slack's "Pin to channel" on a message of an incident channel highlights it
// and unpinning unhighlights it, as :pushpin: does (src/incidents/capture.ts). The bot's own pins
// (the header) never reach here: Bolt drops events the bot caused, and bots' messages are skipped.
// Payloads: https://docs.slack.dev/reference/events/pin_added/
import type { SlackEventMiddlewareArgs } from "@slack/bolt";
import { captureSlackPin } from "../../../incidents/capture.js";
import type { ListenerContext } from "../../context.js";
import { isFromAPerson, toCapturedMessage, type SlackMessage } from "../../messages.js";
import { onEvent, type EventHandler } from "../routes.js";

export function eventHandlers(ctx: ListenerContext): Record<string, EventHandler> {
  const onPin = async ({ event }: SlackEventMiddlewareArgs<"pin_added" | "pin_removed">) => {
    const message = event.item?.message as SlackMessage | undefined;
    if (event.item?.type !== "message" || !message?.ts || !isFromAPerson(message)) return;
    const incidentId = await ctx.locator.incidentIdFor(event.channel_id ?? event.item.channel);
    if (!incidentId) return;
    await captureSlackPin(ctx.deps, incidentId, toCapturedMessage(message), event.type === "pin_added");
  };
  return { pin_added: onEvent<"pin_added">(onPin), pin_removed: onEvent<"pin_removed">(onPin) };
}
