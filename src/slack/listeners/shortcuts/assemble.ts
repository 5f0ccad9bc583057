// The shortcuts: "Add to incident timeline" and "Declare incident" on a message, and "Declare
// incident" from anywhere. Each opens its modal while the trigger id is fresh (Slack allows 3 s);
// the work runs after the ack, once per trigger id (a replayed shortcut opens nothing twice), and a
// problem is told to the person privately: no open incident to add to, a message the bot cannot
// link. The modals' submissions are in ../views/shortcuts.ts.
import type { GlobalShortcut, MessageShortcut } from "@slack/bolt";
import type { Actor } from "../../../incidents/actor.js";
import { incidentsToAddTo, pickMessage, type MessageToPick } from "../../../incidents/sources.js";
import type { ListenerContext } from "../../context.js";
import { ShortcutIds } from "../../ids.js";
import { messageForShortcut, type SlackMessage } from "../../messages.js";
import { addToTimelineModal, declareModal } from "../../views/shortcuts.js";
import { afterAck } from "../afterAck.js";
import { openModal } from "../modals.js";
import { replyTo } from "../replies.js";
import type { ShortcutHandler } from "../routes.js";

const actorOf = (shortcut: MessageShortcut | GlobalShortcut): Actor => ({ userId: shortcut.user.id, requestKey: shortcut.trigger_id });
const RUN_AGAIN = "Run the shortcut again.";

/** The message a message shortcut was run on, as the domain picks it. */
function messageOf(shortcut: MessageShortcut): MessageToPick {
  const message = shortcut.message as unknown as SlackMessage;
  return {
    channelId: shortcut.channel.id,
    channelName: shortcut.channel.name || null,
    ts: shortcut.message_ts ?? message.ts,
    ...messageForShortcut(message),
  };
}

export function shortcutHandlers(ctx: ListenerContext): Record<string, ShortcutHandler> {
  return {
    [ShortcutIds.addToTimeline]: async ({ ack, shortcut }) => {
      await ack();
      if (shortcut.type !== "message_action") return;
      const actor = actorOf(shortcut);
      afterAck(
        ctx,
        { name: "add to timeline (shortcut)", actor, reply: replyTo(ctx, actor.userId, shortcut.response_url) },
        async (_reply, ctx) => {
          const incidents = await incidentsToAddTo(ctx.deps, actor.userId);
          const picked = await pickMessage(ctx.deps, actor, messageOf(shortcut));
          const preselectedId = incidents.find((incident) => incident.channelId === shortcut.channel.id)?.id ?? null;
          const view = addToTimelineModal({
            incidents,
            preselectedId,
            picked,
            timeZone: ctx.deps.timeZone,
            responseUrl: shortcut.response_url,
          });
          await openModal(ctx, shortcut.trigger_id, view, RUN_AGAIN);
        },
      );
    },

    [ShortcutIds.declareFromMessage]: async ({ ack, shortcut }) => {
      await ack();
      if (shortcut.type !== "message_action") return;
      const actor = actorOf(shortcut);
      afterAck(
        ctx,
        { name: "declare (message shortcut)", actor, reply: replyTo(ctx, actor.userId, shortcut.response_url) },
        async (_reply, ctx) => {
          const picked = await pickMessage(ctx.deps, actor, messageOf(shortcut));
          await openModal(
            ctx,
            shortcut.trigger_id,
            declareModal({ picked, timeZone: ctx.deps.timeZone, responseUrl: shortcut.response_url }),
            RUN_AGAIN,
          );
        },
      );
    },

    [ShortcutIds.declare]: async ({ ack, shortcut }) => {
      await ack();
      const actor = actorOf(shortcut);
      afterAck(ctx, { name: "declare (global shortcut)", actor, reply: replyTo(ctx, actor.userId) }, async (_reply, ctx) => {
        await openModal(ctx, shortcut.trigger_id, declareModal({ timeZone: ctx.deps.timeZone }), RUN_AGAIN);
      });
    },
  };
}
