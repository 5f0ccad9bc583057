// `/incident ...` and `/resolve`, as one table of subcommands: whether each needs an incident
// channel, who may run it (src/incidents/policy.ts), and its handler. The table is the policy:
// the router checks it before any handler runs (a refusal writes nothing), and `/incident help`
// is generated from it. Ack at once, then the work runs after the ack (see ../afterAck.ts).
import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import { assignRole, changeSeverity, changeStatus, logEntry, setMoment, setSummary, setTitle } from "../../../incidents/changes.js";
import { declareIncident } from "../../../incidents/declare.js";
import { UserError } from "../../../incidents/errors.js";
import type { Incident } from "../../../incidents/model.js";
import { authorize, whoMay, type Permission } from "../../../incidents/policy.js";
import { parseTimeExpression } from "../../../incidents/time.js";
import { parseIncidentCommand, USAGE, type IncidentCommand, type Subcommand } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { actorOf, afterAck, replyThrough, safeRespond } from "../afterAck.js";
import { handleActionCommand, handleActionsList, handleGithubLogin } from "./actionItems.js";
import { handleReportCommand } from "./report.js";
import { readTime, resolveUser, type CommandRequest } from "./request.js";
import { handleResolveCommand } from "./resolve.js";

type CommandOf<S extends Subcommand> = Extract<IncidentCommand, { sub: S }>;

interface SubcommandSpec<S extends Subcommand> {
  /** Runs only inside an incident channel; the handler gets that incident. */
  needsIncident: boolean;
  /** Who may run it; a function when it depends on what is asked (reopening is not a status change). */
  permission: Permission | ((command: CommandOf<S>, incident: Incident) => Permission);
  /** For a refusal: "Only ... can <doing>." */
  doing: string;
  run(ctx: ListenerContext, request: CommandRequest, command: CommandOf<S>, incident: Incident): Promise<void>;
}

type Table = { [S in Subcommand]: SubcommandSpec<S> };

const anywhere = { needsIncident: false, permission: "anyone", doing: "" } as const;
const inIncident = { needsIncident: true, permission: "anyone", doing: "" } as const;

export const SUBCOMMANDS: Table = {
  help: { ...anywhere, run: (_ctx, request) => request.reply({ text: helpText() }) },
  declare: {
    ...anywhere,
    async run(ctx, request, command) {
      const { incident, headerShown } = await declareIncident(ctx.deps, { title: command.title, severity: command.severity, declaredBy: request.actor.userId });
      ctx.locator.remember(incident);
      const note = headerShown ? "" : "\nSlack did not take the pinned summary just now; it will be posted with the incident's next change.";
      await request.reply({ text: `Declared incident #${incident.number}: <#${incident.channelId}>. You are the incident commander.${note}` });
    },
  },
  status: {
    needsIncident: true,
    // Resolving and reopening are the commander's or tech lead's; other status changes anyone's.
    permission: (command, incident) => (command.status === "resolved" || incident.status === "resolved" ? "resolve" : "anyone"),
    doing: "resolve or reopen the incident",
    run: (ctx, request, command, incident) =>
      command.status === "resolved" ? handleResolveCommand(ctx, request, incident, undefined) : changeStatus(ctx.deps, incident, request.actor, command.status).then(() => {}),
  },
  severity: { ...inIncident, run: (ctx, request, command, incident) => changeSeverity(ctx.deps, incident, request.actor, command.severity).then(() => {}) },
  role: {
    needsIncident: true,
    permission: "assign_roles",
    doing: "assign roles",
    run: async (ctx, request, command, incident) => void (await assignRole(ctx.deps, incident, request.actor, command.role, await resolveUser(ctx, command.user, "role"))),
  },
  impact: {
    ...inIncident,
    run: (ctx, request, command, incident) => setMoment(ctx.deps, incident, request.actor, command.which === "start" ? "impact_start" : "impact_end", readTime(ctx, command.time)).then(() => {}),
  },
  detected: { ...inIncident, run: (ctx, request, command, incident) => setMoment(ctx.deps, incident, request.actor, "detected", readTime(ctx, command.time)).then(() => {}) },
  summary: { ...inIncident, run: (ctx, request, command, incident) => setSummary(ctx.deps, incident, request.actor, command.text).then(() => {}) },
  title: { ...inIncident, run: (ctx, request, command, incident) => setTitle(ctx.deps, incident, request.actor, command.text).then(() => {}) },
  log: {
    ...inIncident,
    async run(ctx, request, command, incident) {
      const { at, text } = readLogTime(ctx, command);
      const stored = await logEntry(ctx.deps, incident.id, request.actor, text, at);
      await request.reply({ text: `Logged: ${stored}` });
    },
  },
  action: { ...inIncident, run: (ctx, request, command, incident) => handleActionCommand(ctx, request, incident, command) },
  actions: { ...inIncident, run: (ctx, request, _command, incident) => handleActionsList(ctx, request, incident) },
  "github-login": { ...anywhere, run: (ctx, request, command) => handleGithubLogin(ctx, request, command.login) },
  resolve: { needsIncident: true, permission: "resolve", doing: "resolve the incident", run: (ctx, request, command, incident) => handleResolveCommand(ctx, request, incident, command.resolution) },
  report: { ...inIncident, run: (ctx, request, command, incident) => handleReportCommand(ctx, request, incident, command.variant) },
};

/** `/incident log at <time> <text>`: the longest run of words after `at` that reads as a time is the time. */
function readLogTime(ctx: ListenerContext, command: CommandOf<"log">): { at?: Date; text: string } {
  if (!command.time) return { text: command.text };
  const now = ctx.deps.clock.now();
  const words = command.text.split(/\s+/);
  let lastReason = "";
  for (let n = Math.min(command.time.length, words.length - 1); n >= 1; n--) {
    const parsed = parseTimeExpression(command.time.slice(0, n).join(" "), { now, timeZone: ctx.deps.timeZone });
    // What follows the time words is the text as typed, line breaks included.
    if (parsed.ok) return { at: parsed.at, text: command.text.replace(new RegExp(`^(?:\\S+\\s+){${n}}`), "") };
    lastReason ||= parsed.reason;
  }
  throw new UserError(`${lastReason}\nType ${USAGE.log}`);
}

export function helpText(): string {
  const lines = (Object.keys(SUBCOMMANDS) as Subcommand[]).map((sub) => {
    const { permission } = SUBCOMMANDS[sub];
    const who = typeof permission === "function" ? " (resolving or reopening: the incident commander or the tech lead)" : permission === "anyone" ? "" : ` (${whoMay(permission)})`;
    return `• ${USAGE[sub]}${who}`;
  });
  return ["*Incident commands*", ...lines, "Times are read in the team's time zone: `17:32`, `5:32pm`, `yesterday 23:10`, `10m ago`, or an ISO timestamp."].join("\n");
}

/** Checks the table's rules, then runs the handler. */
async function run<S extends Subcommand>(ctx: ListenerContext, request: CommandRequest, command: CommandOf<S>): Promise<void> {
  const spec = SUBCOMMANDS[command.sub] as unknown as SubcommandSpec<S>;
  let incident: Incident | undefined;
  if (spec.needsIncident) {
    const incidentId = await ctx.locator.incidentIdFor(request.command.channel_id);
    if (!incidentId) throw new UserError(`\`/incident ${command.sub}\` works inside an incident channel. Run it there, or start one with ${USAGE.declare}.`);
    incident = await ctx.deps.store.getIncident(incidentId);
    const permission = typeof spec.permission === "function" ? spec.permission(command, incident) : spec.permission;
    await authorize(ctx.deps, incident, request.actor.userId, permission, spec.doing);
  }
  await spec.run(ctx, request, command, incident as Incident);
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
  return { command: { ...command, text: command.text ?? "" }, respond: safeRespond(respond), reply: replyThrough(respond), actor: actorOf(command) };
}

export function register(app: App, ctx: ListenerContext) {
  // One listener for both commands (see routes.ts for why listeners are few).
  app.command(/^\/(incident|resolve)$/, async ({ command, ack, respond }) => {
    await ack();
    const request = toRequest(ctx, command, respond);
    if (!request) return;
    const text = request.command.text;
    const parsed: ReturnType<typeof parseIncidentCommand> =
      command.command === "/resolve" ? { ok: true, command: { sub: "resolve", ...(text.trim() ? { resolution: text.trim() } : {}) } } : parseIncidentCommand(text);
    afterAck(ctx, { name: command.command, actor: request.actor, reply: request.reply }, async () => {
      if (!parsed.ok) throw new UserError(parsed.message);
      await run(ctx, request, parsed.command);
    });
  });
}
