// `/incident ...` and `/resolve`. Ack at once (Slack allows 3 s), then do the work as a tracked
// background task and answer the person through the command's response_url.
import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import { assignRole, changeSeverity, changeStatus, logEntry, setMoment, setSummary, setTitle, type Actor } from "../../../incidents/changes.js";
import { declareIncident } from "../../../incidents/declare.js";
import { UserError } from "../../../incidents/errors.js";
import type { Incident } from "../../../incidents/model.js";
import { parseTimeExpression } from "../../../incidents/time.js";
import { helpText, parseIncidentCommand, USAGE, type IncidentCommand, type UserRef } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { handleActionCommand, handleActionsList, handleGithubLogin } from "./actionItems.js";
import { handleReportCommand } from "./report.js";
import { handleResolveCommand } from "./resolve.js";

export interface CommandRequest {
  command: SlashCommand;
  respond: RespondFn;
  actor: Actor;
}

const ephemeral = (text: string) => ({ response_type: "ephemeral" as const, text });

/** The incident of the channel, by id (cached: the cheap form, for the busiest commands). */
async function requireIncidentId(ctx: ListenerContext, channelId: string, sub: keyof typeof USAGE): Promise<string> {
  const incidentId = await ctx.locator.incidentIdFor(channelId);
  if (!incidentId) {
    throw new UserError(`\`/incident ${sub}\` works inside an incident channel. Run it there, or start one with ${USAGE.declare}.`);
  }
  return incidentId;
}

export async function requireIncident(ctx: ListenerContext, channelId: string, sub: keyof typeof USAGE): Promise<Incident> {
  return ctx.deps.store.getIncident(await requireIncidentId(ctx, channelId, sub));
}

async function resolveUser(ctx: ListenerContext, ref: UserRef, sub: keyof typeof USAGE): Promise<string> {
  const id = "id" in ref ? ((await ctx.deps.channel.userExists(ref.id)) ? ref.id : null) : await ctx.deps.channel.findUserByName(ref.name);
  if (!id) throw new UserError(`${"id" in ref ? `<@${ref.id}>` : `@${ref.name}`} is not a user in this workspace.\nType ${USAGE[sub]}`);
  return id;
}

export function readTime(ctx: ListenerContext, expression: string): Date {
  const parsed = parseTimeExpression(expression, { now: ctx.deps.clock.now(), timeZone: ctx.deps.timeZone });
  if (!parsed.ok) throw new UserError(parsed.reason);
  return parsed.at;
}

async function run(ctx: ListenerContext, request: CommandRequest, command: IncidentCommand): Promise<void> {
  const { deps } = ctx;
  const { actor, respond } = request;
  const channelId = request.command.channel_id;
  switch (command.sub) {
    case "help":
      return void (await respond(ephemeral(helpText())));
    case "declare": {
      const { incident, headerShown } = await declareIncident(deps, { title: command.title, severity: command.severity, declaredBy: actor.userId });
      ctx.locator.remember(incident);
      const note = headerShown ? "" : "\nSlack did not take the pinned summary just now; it will be posted with the incident's next change.";
      return void (await respond(ephemeral(`Declared incident #${incident.number}: <#${incident.channelId}>. You are the incident commander.${note}`)));
    }
    case "status":
      if (command.status === "resolved") return handleResolveCommand(ctx, request, undefined);
      return void (await changeStatus(deps, await requireIncident(ctx, channelId, "status"), actor, command.status));
    case "severity":
      return void (await changeSeverity(deps, await requireIncident(ctx, channelId, "severity"), actor, command.severity));
    case "role": {
      const incident = await requireIncident(ctx, channelId, "role");
      return void (await assignRole(deps, incident, actor, command.role, await resolveUser(ctx, command.user, "role")));
    }
    case "impact": {
      const incident = await requireIncident(ctx, channelId, "impact");
      return void (await setMoment(deps, incident, actor, command.which === "start" ? "impact_start" : "impact_end", readTime(ctx, command.time)));
    }
    case "detected": {
      const incident = await requireIncident(ctx, channelId, "detected");
      return void (await setMoment(deps, incident, actor, "detected", readTime(ctx, command.time)));
    }
    case "summary":
      return void (await setSummary(deps, await requireIncident(ctx, channelId, "summary"), actor, command.text));
    case "title":
      return void (await setTitle(deps, await requireIncident(ctx, channelId, "title"), actor, command.text));
    case "log": {
      const incidentId = await requireIncidentId(ctx, channelId, "log");
      let at: Date | undefined;
      let text = command.text;
      if (command.time) {
        // The longest run of words after `at` that reads as a time is the time; the rest is the text.
        const now = deps.clock.now();
        let lastReason = "";
        for (let n = Math.min(command.time.length, command.text.split(/\s+/).length - 1); n >= 1 && !at; n--) {
          const parsed = parseTimeExpression(command.time.slice(0, n).join(" "), { now, timeZone: deps.timeZone });
          if (parsed.ok) {
            at = parsed.at;
            text = command.text.split(/\s+/).slice(n).join(" ");
          } else lastReason ||= parsed.reason;
        }
        if (!at) throw new UserError(`${lastReason}\nType ${USAGE.log}`);
      }
      const stored = await logEntry(deps, incidentId, actor, text, at);
      return void (await respond(ephemeral(`Logged: ${stored}`)));
    }
    case "action":
      return handleActionCommand(ctx, request, command, (ref) => resolveUser(ctx, ref, "action"));
    case "actions":
      return handleActionsList(ctx, request);
    case "github-login":
      return handleGithubLogin(ctx, request, command.login);
    case "resolve":
      return handleResolveCommand(ctx, request, command.resolution);
    case "report":
      return handleReportCommand(ctx, request, command.variant);
  }
}

/** Runs a command after the ack; a mistake the person can fix is told to them, anything else is logged and apologised for. */
export function runAfterAck(ctx: ListenerContext, request: CommandRequest, name: string, work: () => Promise<void>) {
  ctx.tasks.run(name, async () => {
    try {
      await work();
    } catch (error) {
      if (error instanceof UserError) return void (await request.respond(ephemeral(error.message)));
      ctx.logger.error({ err: error, command: name }, "command failed");
      await request.respond(ephemeral("Sorry, that failed because of a problem on our side (it is logged for the bot's operators). Please try again in a moment."));
    }
  });
}

/**
 * Slack always sends these; a request without them is not one we can attribute or make
 * idempotent (the trigger id is the key a repeated command is recognised by), so it is refused.
 */
const REQUIRED_FIELDS = ["user_id", "channel_id", "trigger_id"] as const;

function toRequest(ctx: ListenerContext, command: SlashCommand, respond: RespondFn): CommandRequest | null {
  const missing = REQUIRED_FIELDS.filter((field) => !command[field]);
  if (missing.length > 0) {
    ctx.logger.warn({ command: command.command, missing }, "slash command without required fields ignored");
    return null;
  }
  return { command: { ...command, text: command.text ?? "" }, respond, actor: { userId: command.user_id, requestKey: command.trigger_id } };
}

export function register(app: App, ctx: ListenerContext) {
  // One listener for both commands (see routes.ts for why listeners are few).
  app.command(/^\/(incident|resolve)$/, async ({ command, ack, respond }) => {
    await ack();
    const request = toRequest(ctx, command, respond);
    if (!request) return;
    if (command.command === "/resolve") {
      return runAfterAck(ctx, request, "/resolve", () => handleResolveCommand(ctx, request, request.command.text.trim() || undefined));
    }
    const parsed = parseIncidentCommand(request.command.text);
    runAfterAck(ctx, request, "/incident", async () => {
      if (!parsed.ok) throw new UserError(parsed.message);
      await run(ctx, request, parsed.command);
    });
  });
}
