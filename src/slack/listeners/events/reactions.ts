// :pushpin: on a message marks it as a key moment for the report; removing the last one unmarks it.
import type { App } from "@slack/bolt";
import { capturePin } from "../../../incidents/capture.js";
import type { ListenerContext } from "../../context.js";

const PIN = "pushpin";

export function register(app: App, ctx: ListenerContext) {
  // One listener for both (see routes.ts for why listeners are few).
  app.event(/^reaction_(added|removed)$/, async ({ event }) => {
    if (event.type !== "reaction_added" && event.type !== "reaction_removed") return;
    if (event.reaction !== PIN || event.item.type !== "message") return;
    const incidentId = await ctx.locator.incidentIdFor(event.item.channel);
    if (!incidentId) return;
    await capturePin(ctx.deps, incidentId, event.item.ts, event.user, event.type === "reaction_added");
  });
}
