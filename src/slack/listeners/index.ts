import type { App } from "@slack/bolt";
import type { ListenerContext } from "../context.js";
import * as actionItemActions from "./actions/actionItems.js";
import * as joinActions from "./actions/join.js";
import * as reportActions from "./actions/report.js";
import * as updateActions from "./actions/updates.js";
import * as incidentCommand from "./commands/incident.js";
import * as memberEvents from "./events/members.js";
import * as messageEvents from "./events/message.js";
import * as pinEvents from "./events/pins.js";
import * as reactionEvents from "./events/reactions.js";
import * as userEvents from "./events/users.js";
import { routeActions, routeEvents, routeShortcuts, routeViewSubmissions } from "./routes.js";
import * as shortcuts from "./shortcuts/assemble.js";
import * as reportViews from "./views/report.js";
import * as shortcutViews from "./views/shortcuts.js";

/** Every listener the bot has: one module per kind of request, one Bolt listener per kind (routes.ts says why). */
export function registerListeners(app: App, ctx: ListenerContext) {
  incidentCommand.register(app, ctx);
  routeEvents(app, {
    ...messageEvents.eventHandlers(ctx),
    ...reactionEvents.eventHandlers(ctx),
    ...pinEvents.eventHandlers(ctx),
    ...memberEvents.eventHandlers(ctx),
    ...userEvents.eventHandlers(ctx),
  });
  routeActions(
    app,
    {
      ...actionItemActions.actionHandlers(ctx),
      ...reportActions.actionHandlers(ctx),
      ...updateActions.actionHandlers(ctx),
      ...joinActions.actionHandlers(ctx),
    },
    ctx.logger,
  );
  routeViewSubmissions(app, { ...reportViews.viewHandlers(ctx), ...shortcutViews.viewHandlers(ctx) });
  routeShortcuts(app, shortcuts.shortcutHandlers(ctx));
}
