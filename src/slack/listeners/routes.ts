// Bolt runs the matchers of every registered listener on every request, so each listener costs
// something on every message event, by far the busiest request. In the ingest benchmark, going
// from 14 listeners to 5 cut about 0.2 ms of server CPU per message (1.17 -> 0.97 ms), which took
// ingest on PostgreSQL from 0.54x to a median of 0.59x the bare-Bolt rate (10 runs).
// So each kind of request has one Bolt listener, and buttons, modals, shortcuts and events are
// routed to their handler by id (or event type) here: 5 listeners in all. Messages share the one
// event listener too (issue 22: one listener fewer to match on every request). On a message event
// the listeners of other kinds stop at Bolt's first check (not an action, not a shortcut...): none
// reads the database.
import { replyThrough } from "./afterAck.js";
import type {
  App,
  BlockAction,
  BlockElementAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import type { Logger } from "../../log.js";

export type ActionHandler = Middleware<SlackActionMiddlewareArgs<BlockAction>>;
export type ViewHandler = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;
export type EventHandler = Middleware<SlackEventMiddlewareArgs>;
export type ShortcutHandler = Middleware<SlackShortcutMiddlewareArgs<SlackShortcut>>;

/** A handler for one event type, typed by that event's payload. */
export const onEvent = <Type extends string>(handler: Middleware<SlackEventMiddlewareArgs<Type>>) => handler as unknown as EventHandler;

/**
 * A handler for one action id, typed by the element that id belongs to (a button, a select...):
 * the blocks we build fix which element carries which id.
 */
export const onAction = <Element extends BlockElementAction>(handler: Middleware<SlackActionMiddlewareArgs<BlockAction<Element>>>) =>
  handler as unknown as ActionHandler;

/** Our ids are letters and underscores, so they go into the pattern as they are. */
const exactlyOneOf = (ids: string[]) => new RegExp(`^(?:${ids.join("|")})$`);

export const RETIRED_BUTTON =
  "That button is from an older version of the incident bot and does nothing now. Type `/incident help` to see what you can do instead.";

/**
 * Every action id goes to this one listener, including ids no handler has any more (a button on a
 * message posted by an older version): those are acknowledged and the presser told, instead of
 * Slack showing them an error after 3 s.
 */
export function routeActions(app: App, handlers: Record<string, ActionHandler>, logger: Logger) {
  app.action<BlockAction>(/./, async (args) => {
    const handler = handlers[args.action.action_id];
    if (handler) return handler(args);
    await args.ack();
    await replyThrough(args.respond, logger)({ text: RETIRED_BUTTON });
  });
}

export function routeViewSubmissions(app: App, handlers: Record<string, ViewHandler>) {
  app.view<ViewSubmitAction>(exactlyOneOf(Object.keys(handlers)), (args) => handlers[args.view.callback_id]!(args));
}

/** Every event type, every message subtype included, goes to this one listener. */
export function routeEvents(app: App, handlers: Record<string, EventHandler>) {
  app.event(exactlyOneOf(Object.keys(handlers)), (args) => handlers[args.event.type]!(args));
}

/** Global and message shortcuts, by callback id. */
export function routeShortcuts(app: App, handlers: Record<string, ShortcutHandler>) {
  app.shortcut(exactlyOneOf(Object.keys(handlers)), (args) => handlers[args.shortcut.callback_id]!(args));
}
