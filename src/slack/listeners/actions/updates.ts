// Buttons on the private preview of a customer-facing update: Publish and Cancel. The presser's
// right to speak for the incident (liaison or commander) is checked again when pressed; the domain
// publishes once however often Publish is pressed.
import type { ButtonAction } from "@slack/bolt";
import { cancelPublicUpdate, publishPublicUpdate } from "../../../incidents/updates.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { readRecordButton } from "../../values.js";
import { cancelledUpdate, publishedUpdate } from "../../views/updates.js";
import { actorOf, afterAck, replyThrough } from "../afterAck.js";
import { guardRespond } from "../../text.js";
import { onAction, type ActionHandler } from "../routes.js";

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.publishUpdate]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    afterAck(ctx, { name: "publish update", actor, reply: replyThrough(respond, ctx.logger) }, async (_reply, ctx) => {
      const published = await publishPublicUpdate(ctx.deps, readRecordButton(action.value), actor);
      await guardRespond(respond, ctx.logger)({ response_type: "ephemeral", replace_original: true, ...publishedUpdate(published) });
    });
  }),

  [ActionIds.cancelUpdate]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    afterAck(ctx, { name: "cancel update", actor, reply: replyThrough(respond, ctx.logger) }, async (_reply, ctx) => {
      await cancelPublicUpdate(ctx.deps, readRecordButton(action.value), actor);
      await guardRespond(respond, ctx.logger)({ response_type: "ephemeral", replace_original: true, ...cancelledUpdate });
    });
  }),
});
