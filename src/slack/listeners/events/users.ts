// user_change: someone changed their profile. The names the bot keeps for reports follow at once,
// for people it has already seen (the event goes out for everyone in the workspace; the others are
// looked up the first time a report needs them). Payload: https://docs.slack.dev/reference/events/user_change/
import type { ListenerContext } from "../../context.js";
import { namesOf, type Member } from "../../chat.js";
import { onEvent, type EventHandler } from "../routes.js";

export const eventHandlers = (ctx: ListenerContext): Record<string, EventHandler> => ({
  user_change: onEvent<"user_change">(async ({ event }) => {
    const user = event.user as unknown as Member | undefined;
    if (!user?.id) return;
    await ctx.deps.people.saveNames([namesOf(user)], ctx.deps.clock.now(), { onlyKnown: true });
  }),
});
