// The Join button, on an incident's announcement and on its declaration: the presser is invited
// into the incident channel and told so, privately. Pressing it again tells them they are in.
import type { ButtonAction } from "@slack/bolt";
import { joinIncident } from "../../../incidents/assemble.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { readRecordButton } from "../../values.js";
import { onAction, type ActionHandler } from "../routes.js";
import { actorOf, afterAck, replyThrough } from "../afterAck.js";

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.joinIncident]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    afterAck(ctx, { name: "join", actor, reply: replyThrough(respond, ctx.logger) }, async (reply, ctx) => {
      // The button's value: the incident's id (views/announcement.ts).
      const { incident, joined } = await joinIncident(ctx.deps, readRecordButton(action.value), actor);
      await reply({
        text: joined
          ? `You joined <#${incident.channelId}>, the channel of incident #${incident.number}. ` +
            "The bot sends you where it stands in a direct message."
          : `You are already in <#${incident.channelId}>, the channel of incident #${incident.number}.`,
      });
    });
  }),
});
