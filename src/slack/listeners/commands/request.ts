// What every `/incident` handler is given, and the lookups several of them share.
import type { RespondFn, SlashCommand } from "@slack/bolt";
import type { Actor } from "../../../incidents/actor.js";
import { UserError } from "../../../incidents/errors.js";
import { parseTimeExpression } from "../../../incidents/time/expressions.js";
import { USAGE, type Subcommand, type UserRef } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { RequestError } from "../../problems.js";
import type { Reply } from "../afterAck.js";

export interface CommandRequest {
  command: SlashCommand;
  /** The command's response_url, with the bot's posting rules applied. */
  respond: RespondFn;
  reply: Reply;
  actor: Actor;
}

/** A user typed as a mention, an id or @name, checked against the workspace. */
export async function resolveUser(ctx: ListenerContext, ref: UserRef, sub: Subcommand): Promise<string> {
  const id = "id" in ref ? ((await ctx.deps.channel.userExists(ref.id)) ? ref.id : null) : await ctx.deps.channel.findUserByName(ref.name);
  if (!id) throw new RequestError(`${"id" in ref ? `<@${ref.id}>` : `@${ref.name}`} is not a user in this workspace.\nType ${USAGE[sub]}`);
  return id;
}

/** A time as people type it, in the team's zone. */
export function readTime(ctx: ListenerContext, expression: string): Date {
  const parsed = parseTimeExpression(expression, { now: ctx.deps.clock.now(), timeZone: ctx.deps.timeZone });
  if (!parsed.ok) throw new UserError(parsed.problem);
  return parsed.at;
}
