// `/incident ...` and `/resolve`, as one table of subcommands: whether each needs an incident
// channel, the privileged act it is (src/incidents/policy.ts), and its handler. The use cases
// check the act themselves; the router checks it too, before a handler resolves names or reads
// more (a refusal writes nothing), and `/incident help` is generated from it. The work runs as
// ../afterAck.ts says: its first reply goes in the ack when it comes soon enough, else the ack
// goes empty and the work goes on.
import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import { assignRole, changeSeverity, changeStatus, logEntry, setMoment, setSummary, setTitle } from "../../../incidents/changes.js";
import type { TimeProblem } from "../../../incidents/errors.js";
import type { Incident, PrivilegedAct } from "../../../incidents/model.js";
import { ACTS, authorize, inviteAct, statusChangeAct } from "../../../incidents/policy.js";
import { parseTimeExpression } from "../../../incidents/time/expressions.js";
import { parseIncidentCommand, USAGE, type IncidentCommand, type Subcommand } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { problemText, RequestError, whoMay } from "../../problems.js";
import { AckAnswer, actorOf, afterAck, replyThrough } from "../afterAck.js";
import { guardRespond, outgoingMessage } from "../../text.js";
import { handleActionCommand, handleActionsList, handleAssignCommand, handleGithubLogin } from "./actionItems.js";
import { handleBriefCommand } from "./brief.js";
import { handleDeclareCommand } from "./declare.js";
import { handleFollowupsCommand } from "./followups.js";
import { handleInviteCommand } from "./invite.js";
import { handleReportCommand } from "./report.js";
import { readTime, resolveUser, type CommandRequest } from "./request.js";
import { handleResolveCommand } from "./resolve.js";
import { handlePublicTitle, handleUpdateCommand } from "./updates.js";

type CommandOf<S extends Subcommand> = Extract<IncidentCommand, { sub: S }>;

/** The incident of the channel: its id at once, the whole incident when a handler asks (read once). */
export interface IncidentRef {
  id: string;
  load(): Promise<Incident>;
}

/** A privileged act only in some cases: `when` says which (for help), `applies` tells for a command and its incident. */
interface ConditionalAct<S extends Subcommand> {
  act: PrivilegedAct;
  when: string;
  applies(command: CommandOf<S>, incident: Incident): boolean;
}

interface SubcommandSpec<S extends Subcommand> {
  /** Runs only inside an incident channel; the handler gets that incident. */
  needsIncident: boolean;
  /** The privileged act it is, if any; conditional when that depends on what is asked (a status change may be a reopening). */
  act: PrivilegedAct | null | ConditionalAct<S>;
  run(ctx: ListenerContext, request: CommandRequest, command: CommandOf<S>, incident: IncidentRef): Promise<void>;
}

type Table = { [S in Subcommand]: SubcommandSpec<S> };

const anywhere = { needsIncident: false, act: null } as const;
const inIncident = { needsIncident: true, act: null } as const;

export const SUBCOMMANDS: Table = {
  help: { ...anywhere, run: (_ctx, request) => request.reply({ text: helpText() }) },
  declare: { ...anywhere, run: (ctx, request, command) => handleDeclareCommand(ctx, request, command) },
  status: {
    needsIncident: true,
    // Resolving and reopening are the commander's or tech lead's; other status changes anyone's.
    act: {
      act: "resolve_or_reopen",
      when: "resolving or reopening",
      applies: (command, incident) => statusChangeAct(incident, command.status) !== null,
    },
    run: async (ctx, request, command, ref) =>
      command.status === "resolved"
        ? handleResolveCommand(ctx, request, await ref.load(), undefined)
        : void (await changeStatus(ctx.deps, await ref.load(), request.actor, command.status)),
  },
  severity: {
    ...inIncident,
    run: async (ctx, request, command, ref) => void (await changeSeverity(ctx.deps, await ref.load(), request.actor, command.severity)),
  },
  role: {
    needsIncident: true,
    act: "assign_roles",
    run: async (ctx, request, command, ref) =>
      void (await assignRole(ctx.deps, await ref.load(), request.actor, command.role, await resolveUser(ctx, command.user, "role"))),
  },
  impact: {
    ...inIncident,
    run: async (ctx, request, command, ref) =>
      void (await setMoment(
        ctx.deps,
        await ref.load(),
        request.actor,
        command.which === "start" ? "impact_start" : "impact_end",
        readTime(ctx, command.time),
      )),
  },
  detected: {
    ...inIncident,
    run: async (ctx, request, command, ref) =>
      void (await setMoment(ctx.deps, await ref.load(), request.actor, "detected", readTime(ctx, command.time))),
  },
  summary: {
    ...inIncident,
    run: async (ctx, request, command, ref) => void (await setSummary(ctx.deps, await ref.load(), request.actor, command.text)),
  },
  title: {
    ...inIncident,
    run: async (ctx, request, command, ref) => void (await setTitle(ctx.deps, await ref.load(), request.actor, command.text)),
  },
  log: {
    ...inIncident,
    // The busiest command: it needs only the incident's id, so the incident is not read at all.
    async run(ctx, request, command, ref) {
      const { at, text } = readLogTime(ctx, command);
      const stored = await logEntry(ctx.deps, ref.id, request.actor, text, at);
      await request.reply({ text: `Logged: ${stored}` });
    },
  },
  action: { ...inIncident, run: async (ctx, request, command, ref) => handleActionCommand(ctx, request, await ref.load(), command) },
  assign: { ...inIncident, run: async (ctx, request, command, ref) => handleAssignCommand(ctx, request, await ref.load(), command) },
  actions: { ...inIncident, run: async (ctx, request, command, ref) => handleActionsList(ctx, request, await ref.load(), command.page) },
  "github-login": { ...anywhere, run: (ctx, request, command) => handleGithubLogin(ctx, request, command.login) },
  resolve: {
    needsIncident: true,
    act: "resolve",
    run: async (ctx, request, command, ref) => handleResolveCommand(ctx, request, await ref.load(), command.resolution),
  },
  report: {
    ...inIncident,
    run: async (ctx, request, command, ref) => handleReportCommand(ctx, request, await ref.load(), command.variant),
  },
  update: {
    needsIncident: true,
    act: "post_updates",
    run: async (ctx, request, command, ref) => handleUpdateCommand(ctx, request, await ref.load(), command.audience, command.text),
  },
  "public-title": {
    needsIncident: true,
    act: "set_public_title",
    run: async (ctx, request, command, ref) => handlePublicTitle(ctx, request, await ref.load(), command.text),
  },
  followups: { ...anywhere, run: (ctx, request, command) => handleFollowupsCommand(ctx, request, command.filter) },
  brief: { ...inIncident, run: async (ctx, request, _command, ref) => handleBriefCommand(ctx, request, ref.id) },
  invite: {
    needsIncident: true,
    // Anyone may bring people into a public incident; a private one's channel is its leads' to open.
    act: { act: "invite_to_private", when: "in a private incident", applies: (_command, incident) => inviteAct(incident) !== null },
    run: async (ctx, request, command, ref) => handleInviteCommand(ctx, request, await ref.load(), command.users),
  },
};

/** `/incident log at <time> <text>`: the longest run of words after `at` that reads as a time is the time. */
function readLogTime(ctx: ListenerContext, command: CommandOf<"log">): { at?: Date; text: string } {
  if (!command.time) return { text: command.text };
  const now = ctx.deps.clock.now();
  const words = command.text.split(/\s+/);
  let lastProblem: TimeProblem | undefined;
  for (let n = Math.min(command.time.length, words.length - 1); n >= 1; n--) {
    const parsed = parseTimeExpression(command.time.slice(0, n).join(" "), { now, timeZone: ctx.deps.timeZone });
    // What follows the time words is the text as typed, line breaks included.
    if (parsed.ok) return { at: parsed.at, text: command.text.replace(new RegExp(`^(?:\\S+\\s+){${n}}`), "") };
    lastProblem ??= parsed.problem;
  }
  throw new RequestError(`${lastProblem ? `${problemText(lastProblem, { timeZone: ctx.deps.timeZone })}\n` : ""}Type ${USAGE.log}`);
}

export function helpText(): string {
  const lines = (Object.keys(SUBCOMMANDS) as Subcommand[]).map((sub) => {
    const { act } = SUBCOMMANDS[sub];
    const who = act === null ? "" : typeof act === "string" ? ` (${whoMay(ACTS[act])})` : ` (${act.when}: ${whoMay(ACTS[act.act])})`;
    return `• ${USAGE[sub]}${who}`;
  });
  return [
    "*Incident commands*",
    ...lines,
    "Times are read in the team's time zone: `17:32`, `5:32pm`, `yesterday 23:10`, `10m ago`, or an ISO timestamp.",
  ].join("\n");
}

/** Refuses early what the table's act does not allow (the handler's use case checks it again), then runs the handler. */
async function run<S extends Subcommand>(ctx: ListenerContext, request: CommandRequest, command: CommandOf<S>): Promise<void> {
  const spec = SUBCOMMANDS[command.sub] as unknown as SubcommandSpec<S>;
  let ref: IncidentRef = { id: "", load: () => Promise.reject(new Error(`/incident ${command.sub} has no incident`)) };
  if (spec.needsIncident) {
    const incidentId = await ctx.locator.incidentIdFor(request.command.channel_id);
    if (!incidentId)
      throw new RequestError(
        `\`/incident ${command.sub}\` works inside an incident channel. Run it there, or start one with ${USAGE.declare}.`,
      );
    let loading: Promise<Incident> | undefined;
    ref = { id: incidentId, load: () => (loading ??= ctx.deps.incidents.getIncident(incidentId)) };
    if (spec.act) {
      const incident = await ref.load();
      const act = typeof spec.act === "string" ? spec.act : spec.act.applies(command, incident) ? spec.act.act : null;
      if (act) await authorize(ctx.deps, incident, request.actor.userId, act);
    }
  }
  await spec.run(ctx, request, command, ref);
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
  return {
    command: { ...command, text: command.text ?? "" },
    respond: guardRespond(respond, ctx.logger),
    reply: replyThrough(respond, ctx.logger),
    actor: actorOf(command),
  };
}

export function register(app: App, ctx: ListenerContext) {
  // One listener for both commands (see routes.ts for why listeners are few).
  app.command(/^\/(incident|resolve)$/, async ({ command, ack, respond }) => {
    const request = toRequest(ctx, command, respond);
    if (!request) return void (await ack());
    const text = request.command.text;
    const parsed: ReturnType<typeof parseIncidentCommand> =
      command.command === "/resolve"
        ? { ok: true, command: { sub: "resolve", ...(text.trim() ? { resolution: text.trim() } : {}) } }
        : parseIncidentCommand(text);
    const inAck = new AckAnswer();
    afterAck(ctx, { name: command.command, actor: request.actor, reply: request.reply, inAck }, async (reply, ctx) => {
      if (!parsed.ok) throw new RequestError(parsed.message);
      await run(ctx, { ...request, reply }, parsed.command);
    });
    const answer = await inAck.answer;
    // The same rules as any message the bot sends (../../text.ts): no broadcasts, within Slack's limits.
    await ack(answer && outgoingMessage({ response_type: "ephemeral" as const, ...answer }, ctx.logger, "ack"));
  });
}
