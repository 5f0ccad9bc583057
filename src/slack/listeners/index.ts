import type { App } from "@slack/bolt";
import type { ListenerContext } from "../context.js";
import * as actionItemActions from "./actions/actionItems.js";
import * as reportActions from "./actions/report.js";
import * as updateActions from "./actions/updates.js";
import * as incidentCommand from "./commands/incident.js";
import * as messageEvents from "./events/message.js";
import * as reactionEvents from "./events/reactions.js";
import * as userEvents from "./events/users.js";
import { routeActions, routeViewSubmissions } from "./routes.js";
import * as reportViews from "./views/report.js";

/** Every listener the bot has: one module per kind of request, one Bolt listener per kind. */
export function registerListeners(app: App, ctx: ListenerContext) {
  incidentCommand.register(app, ctx);
  messageEvents.register(app, ctx);
  reactionEvents.register(app, ctx);
  userEvents.register(app, ctx);
  const actions = { ...actionItemActions.actionHandlers(ctx), ...reportActions.actionHandlers(ctx), ...updateActions.actionHandlers(ctx) };
  routeActions(app, actions, ctx.logger);
  routeViewSubmissions(app, reportViews.viewHandlers(ctx));
}
