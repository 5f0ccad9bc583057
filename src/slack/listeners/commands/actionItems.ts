import { addActionItem } from "../../../incidents/actionItems.js";
import type { Incident } from "../../../incidents/model.js";
import { parseDueDate } from "../../../incidents/time.js";
import { USAGE, type IncidentCommand } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { RequestError } from "../../problems.js";
import { actionItemLine, actionItemsBlocks } from "../../views/actionItems.js";
import { resolveUser, type CommandRequest } from "./request.js";

export async function handleActionCommand(ctx: ListenerContext, request: CommandRequest, incident: Incident, command: Extract<IncidentCommand, { sub: "action" }>) {
  const ownerId = command.owner ? await resolveUser(ctx, command.owner, "action") : null;
  let dueDate: Date | null = null;
  if (command.due) {
    const parsed = parseDueDate(command.due, { now: ctx.deps.clock.now(), timeZone: ctx.deps.timeZone });
    if (!parsed.ok) throw new RequestError(`${parsed.reason}\nType ${USAGE.action}`);
    dueDate = parsed.date;
  }
  const item = await addActionItem(ctx.deps, incident, request.actor, { text: command.text, ownerId, dueDate });
  await request.reply({ text: `Added: ${actionItemLine(item)}` });
}

export async function handleActionsList(ctx: ListenerContext, request: CommandRequest, incident: Incident) {
  const items = await ctx.deps.actionItems.listActionItems(incident.id);
  await request.reply({ text: `Action items of incident #${incident.number}`, blocks: actionItemsBlocks(items) });
}

export async function handleGithubLogin(ctx: ListenerContext, request: CommandRequest, login: string) {
  await ctx.deps.people.setGithubLogin(request.actor.userId, login);
  await request.reply({ text: `Your GitHub login is now *${login}*: action items you own will be assigned to you.` });
}
