// :pushpin: on a message makes it a highlight for the report; removing the last one unmarks it.
// :no_entry_sign: keeps a message out of the report's timeline until the last one is removed.
import type { SlackEventMiddlewareArgs } from "@slack/bolt";
import { capturePin } from "../../../incidents/capture.js";
import { excludeFromTimeline, TIMELINE_REACTIONS } from "../../../incidents/report/timelineReactions.js";
import type { ListenerContext } from "../../context.js";
import { onEvent, type EventHandler } from "../routes.js";

const WATCHED: ReadonlySet<string> = new Set(Object.values(TIMELINE_REACTIONS));

export function eventHandlers(ctx: ListenerContext): Record<string, EventHandler> {
  const onReaction = async ({ event }: SlackEventMiddlewareArgs<"reaction_added" | "reaction_removed">) => {
    if (!WATCHED.has(event.reaction) || event.item.type !== "message") return;
    const incidentId = await ctx.locator.incidentIdFor(event.item.channel);
    if (!incidentId) return;
    const added = event.type === "reaction_added";
    if (event.reaction === TIMELINE_REACTIONS.pin) await capturePin(ctx.deps, incidentId, event.item.ts, event.user, added);
    else await excludeFromTimeline(ctx.deps, incidentId, event.item.ts, event.user, added);
  };
  return { reaction_added: onEvent<"reaction_added">(onReaction), reaction_removed: onEvent<"reaction_removed">(onReaction) };
}
