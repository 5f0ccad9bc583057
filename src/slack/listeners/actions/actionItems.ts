// Buttons on action items: mark done / drop (from `/incident actions`) and retry pending issues
// (from the resolution summary). Anyone in the incident channel may press them.
import type { ButtonAction, OverflowAction } from "@slack/bolt";
import { issuesWithheld, openIssuesFor, updateActionItem } from "../../../incidents/actionItems.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { readActionItemOption, readRecordButton } from "../../values.js";
import { actionItemsMessage, resolutionSummary } from "../../views/actionItems.js";
import { actorOf, afterAck, replyThrough } from "../afterAck.js";
import { guardRespond } from "../../text.js";
import { onAction, type ActionHandler } from "../routes.js";

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.markActionDone]: onAction<OverflowAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    afterAck(ctx, { name: "action item status", actor, reply: replyThrough(respond, ctx.logger) }, async (_reply, ctx) => {
      const { status, itemId, page } = readActionItemOption(action.selected_option.value);
      const { incident } = await updateActionItem(ctx.deps, itemId, actor, { status });
      const items = await ctx.deps.actionItems.listActionItems(incident.id);
      // The same page again, with the item's new state.
      const list = actionItemsMessage(incident, items, page, issuesWithheld(ctx.deps, incident));
      await guardRespond(respond, ctx.logger)({ response_type: "ephemeral", replace_original: true, ...list });
    });
  }),

  [ActionIds.retryActionItemIssue]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    afterAck(
      ctx,
      { name: "retry action item issues", actor: actorOf(body), reply: replyThrough(respond, ctx.logger) },
      async (_reply, ctx) => {
        const incident = await ctx.deps.incidents.getIncident(readRecordButton(action.value));
        const items = await openIssuesFor(ctx.deps, incident);
        const summary = resolutionSummary(incident, items, ctx.deps.timeZone, issuesWithheld(ctx.deps, incident));
        await guardRespond(respond, ctx.logger)({ replace_original: true, ...summary });
      },
    );
  }),
});
