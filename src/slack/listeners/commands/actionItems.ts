import { addActionItem } from "../../../incidents/actionItems.js";
import { UserError } from "../../../incidents/errors.js";
import { parseDueDate } from "../../../incidents/time.js";
import { USAGE, type IncidentCommand, type UserRef } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { actionItemLine, actionItemsBlocks } from "../../views/actionItems.js";
import { requireIncident, type CommandRequest } from "./incident.js";

export async function handleActionCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  command: Extract<IncidentCommand, { sub: "action" }>,
  resolveUser: (ref: UserRef) => Promise<string>,
) {
  const incident = await requireIncident(ctx, request.command.channel_id, "action");
  const ownerId = command.owner ? await resolveUser(command.owner) : null;
  let dueDate: Date | null = null;
  if (command.due) {
    const parsed = parseDueDate(command.due, { now: ctx.deps.clock.now(), timeZone: ctx.deps.timeZone });
    if (!parsed.ok) throw new UserError(`${parsed.reason}\nType ${USAGE.action}`);
    dueDate = parsed.date;
  }
  const item = await addActionItem(ctx.deps, incident, request.actor, { text: command.text, ownerId, dueDate });
  await request.respond({ response_type: "ephemeral", text: `Added: ${actionItemLine(item)}` });
}

export async function handleActionsList(ctx: ListenerContext, request: CommandRequest) {
  const incident = await requireIncident(ctx, request.command.channel_id, "actions");
  const items = await ctx.deps.store.listActionItems(incident.id);
  await request.respond({ response_type: "ephemeral", text: `Action items of incident #${incident.number}`, blocks: actionItemsBlocks(items) });
}

export async function handleGithubLogin(ctx: ListenerContext, request: CommandRequest, login: string) {
  await ctx.deps.store.setGithubLogin(request.actor.userId, login);
  await request.respond({ response_type: "ephemeral", text: `Your GitHub login is now *${login}*: action items you own will be assigned to you.` });
}
