import type { App } from "@slack/bolt";
import type { ListenerContext } from "../context.js";
import * as actionItemActions from "./actions/actionItems.js";
import * as reportActions from "./actions/report.js";
import * as reportViews from "./views/report.js";
import * as incidentCommand from "./commands/incident.js";
import * as messageEvents from "./events/message.js";
import * as reactionEvents from "./events/reactions.js";

/** Every listener the bot has; one module per kind of request. */
export function registerListeners(app: App, ctx: ListenerContext) {
  for (const listener of [incidentCommand, messageEvents, reactionEvents, actionItemActions, reportActions, reportViews]) listener.register(app, ctx);
}
