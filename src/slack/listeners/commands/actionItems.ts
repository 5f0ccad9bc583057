import { addActionItem, issuesWithheld, updateActionItem } from "../../../incidents/actionItems.js";
import type { Incident } from "../../../incidents/model.js";
import { parseDueDate } from "../../../incidents/time/dueDates.js";
import { USAGE, type IncidentCommand } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { problemText, RequestError } from "../../problems.js";
import { actionItemLine, actionItemsMessage } from "../../views/actionItems.js";
import { resolveUser, type CommandRequest } from "./request.js";

/** A due date as typed (`2025-09-01`, `friday`, `in 2 weeks`), or a usage answer for that subcommand. */
function readDueDate(ctx: ListenerContext, typed: string, sub: "action" | "assign"): Date {
  const parsed = parseDueDate(typed, { now: ctx.deps.clock.now(), timeZone: ctx.deps.timeZone });
  if (!parsed.ok) throw new RequestError(`${problemText(parsed.problem, { timeZone: ctx.deps.timeZone })}\nType ${USAGE[sub]}`);
  return parsed.date;
}

export async function handleActionCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  incident: Incident,
  command: Extract<IncidentCommand, { sub: "action" }>,
) {
  const ownerId = command.owner ? await resolveUser(ctx, command.owner, "action") : null;
  const dueDate = command.due ? readDueDate(ctx, command.due, "action") : null;
  const item = await addActionItem(ctx.deps, incident, request.actor, { text: command.text, ownerId, dueDate });
  await request.reply({ text: `Added: ${actionItemLine(item)}` });
}

/** `/incident assign <n> [@owner] [due <date>]`: an owner and a date for an item that lacks them (or new ones). */
export async function handleAssignCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  incident: Incident,
  command: Extract<IncidentCommand, { sub: "assign" }>,
) {
  // Everything typed is checked before anything changes: a bad date does not leave the owner half-set.
  const ownerId = command.owner ? await resolveUser(ctx, command.owner, "assign") : undefined;
  const dueDate = command.due ? readDueDate(ctx, command.due, "assign") : undefined;
  const items = await ctx.deps.actionItems.listActionItems(incident.id);
  const target = items.find((item) => item.number === command.number);
  if (!target) {
    const hint = items.length
      ? ` (it has 1 to ${items.at(-1)!.number}; \`/incident actions\` lists them)`
      : ": add one with `/incident action <text>`";
    throw new RequestError(`Incident #${incident.number} has no action item ${command.number}${hint}.`);
  }
  let item = target;
  if (ownerId !== undefined) item = (await updateActionItem(ctx.deps, item.id, request.actor, { ownerId }, "owner")).item;
  if (dueDate !== undefined) item = (await updateActionItem(ctx.deps, item.id, request.actor, { dueDate }, "due")).item;
  await request.reply({ text: `Updated: ${actionItemLine(item)}` });
}

/** `/incident actions [page <n>]`: a page of the incident's items (Slack shows at most 50 blocks a message). */
export async function handleActionsList(ctx: ListenerContext, request: CommandRequest, incident: Incident, page: number) {
  const items = await ctx.deps.actionItems.listActionItems(incident.id);
  await request.reply(actionItemsMessage(incident, items, page, issuesWithheld(ctx.deps, incident)));
}

export async function handleGithubLogin(ctx: ListenerContext, request: CommandRequest, login: string) {
  await ctx.deps.people.setGithubLogin(request.actor.userId, login);
  await request.reply({ text: `Your GitHub login is now *${login}*: action items you own will be assigned to you.` });
}
