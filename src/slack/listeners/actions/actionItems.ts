// Buttons on action items: mark done / drop (from `/incident actions`) and retry pending issues
// (from the resolution summary). Anyone in the incident channel may press them.
import type { OverflowAction, ButtonAction } from "@slack/bolt";
import { openIssuesFor, updateActionItem } from "../../../incidents/actionItems.js";
import { UserError } from "../../../incidents/errors.js";
import type { ActionItemStatus } from "../../../incidents/model.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { actionItemsBlocks, resolutionSummary } from "../../views/actionItems.js";
import { onAction, type ActionHandler } from "../routes.js";

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.markActionDone]: onAction<OverflowAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const [status, itemId] = action.selected_option.value.split(":") as [ActionItemStatus, string];
    ctx.tasks.run("action item status", async () => {
      try {
        const { incident } = await updateActionItem(ctx.deps, itemId, { userId: body.user.id, requestKey: `${body.trigger_id}` }, { status });
        const items = await ctx.deps.store.listActionItems(incident.id);
        await respond({ response_type: "ephemeral", replace_original: true, text: `Action items of incident #${incident.number}`, blocks: actionItemsBlocks(items) });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        await respond({ response_type: "ephemeral", replace_original: false, text: error.message });
      }
    });
  }),

  [ActionIds.retryActionItemIssue]: onAction<ButtonAction>(async ({ ack, action, respond }) => {
    await ack();
    ctx.tasks.run("retry action item issues", async () => {
      const incident = await ctx.deps.store.getIncident(action.value ?? "");
      const items = await openIssuesFor(ctx.deps, incident);
      await respond({ replace_original: true, ...resolutionSummary(incident, items, ctx.deps.timeZone) });
    });
  }),
});
