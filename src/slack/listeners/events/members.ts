// member_joined_channel: someone joined an incident channel, and gets its read-in as a direct
// message (src/incidents/readIn.ts). A direct message rather than a note in the channel: an
// ephemeral note is gone once they reload or leave, a direct message stays with them, readable
// later and from any device. The bot's own joins (it makes every incident channel) and joins to
// any other channel send nothing. Payload: https://docs.slack.dev/reference/events/member_joined_channel/
import { readInOnJoin } from "../../../incidents/readIn.js";
import type { ListenerContext } from "../../context.js";
import { onEvent, type EventHandler } from "../routes.js";

export const eventHandlers = (ctx: ListenerContext): Record<string, EventHandler> => ({
  member_joined_channel: onEvent<"member_joined_channel">(async ({ event, body, context }) => {
    if (event.user === context.botUserId) return;
    // Slack redelivers an event with the same event_id; a later join is a new event.
    await readInOnJoin(ctx.deps, { channelId: event.channel, userId: event.user, joinKey: body.event_id });
  }),
});
