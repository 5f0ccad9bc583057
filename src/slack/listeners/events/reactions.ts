// :pushpin: on a message marks it as a key moment for the report; removing the last one unmarks it.
// :no_entry_sign: keeps a message out of the report's timeline until the last one is removed.
import type { App } from "@slack/bolt";
import { capturePin } from "../../../incidents/capture.js";
import { excludeFromTimeline, TIMELINE_REACTIONS } from "../../../incidents/report/timelineReactions.js";
import type { ListenerContext } from "../../context.js";

const WATCHED: ReadonlySet<string> = new Set(Object.values(TIMELINE_REACTIONS));

export function register(app: App, ctx: ListenerContext) {
  // One listener for both (see routes.ts for why listeners are few).
  app.event(/^reaction_(added|removed)$/, async ({ event }) => {
    if (event.type !== "reaction_added" && event.type !== "reaction_removed") return;
    if (!WATCHED.has(event.reaction) || event.item.type !== "message") return;
    const incidentId = await ctx.locator.incidentIdFor(event.item.channel);
    if (!incidentId) return;
    const added = event.type === "reaction_added";
    if (event.reaction === TIMELINE_REACTIONS.pin) await capturePin(ctx.deps, incidentId, event.item.ts, event.user, added);
    else await excludeFromTimeline(ctx.deps, incidentId, event.item.ts, event.user, added);
  });
}
