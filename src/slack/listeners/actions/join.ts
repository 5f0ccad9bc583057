// The Join button, on an incident's announcement and on its declaration: the presser is invited
// into the incident channel and told so, privately. Pressing it again tells them they are in.
import type { ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { joinIncident } from "../../../incidents/assemble.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { RequestError } from "../../problems.js";
import { RETIRED_BUTTON, onAction, type ActionHandler } from "../routes.js";
import { actorOf, afterAck, replyThrough } from "../afterAck.js";

/** The button's value: the incident's id (views/announcement.ts). */
const joinValue = z.uuid();

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.joinIncident]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    afterAck(ctx, { name: "join", actor, reply: replyThrough(respond, ctx.logger) }, async (reply) => {
      const incidentId = joinValue.safeParse(action.value);
      if (!incidentId.success) throw new RequestError(RETIRED_BUTTON);
      const { incident, joined } = await joinIncident(ctx.deps, incidentId.data, actor);
      await reply({
        text: joined
          ? `You joined <#${incident.channelId}>, the channel of incident #${incident.number}. ` +
            "The bot sends you where it stands in a direct message."
          : `You are already in <#${incident.channelId}>, the channel of incident #${incident.number}.`,
      });
    });
  }),
});
