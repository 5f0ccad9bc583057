// The only module that reads process.env. Everything is validated once, at start-up, and every
// problem is reported together so a deployer fixes the environment in one go.
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { SEVERITIES, type Severity } from "../incidents/model.js";
import { parseTemplate, TemplateError, type Template } from "../incidents/report/template.js";
import { isTimeZone } from "../incidents/time/format.js";

/** How log lines are written: JSON for collectors, or readable for a person at a terminal. */
export type LogFormat = "json" | "pretty";

export type DatabaseConfig = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

export interface RepositoryName {
  owner: string;
  repo: string;
}

/** "owner/name", as GitHub writes a repository's full name (and as it is configured). */
export const repositoryName = (repository: RepositoryName): string => `${repository.owner}/${repository.repo}`;

/** How Slack reaches the bot: over a WebSocket the bot opens, or by POSTs to /slack/events. */
export type SlackMode = "socket" | "http";

export interface Config {
  slack: {
    botToken: string;
    signingSecret?: string;
    /** The app-level token Socket Mode connects with. */
    appToken?: string;
    apiUrl?: string;
    /** SLACK_MODE, or inferred from the tokens set. */
    mode: SlackMode;
    /** Why this mode: "SLACK_MODE=http", or what it was inferred from (for the start-up line). */
    modeReason: string;
    /** True when the mode was inferred rather than set with SLACK_MODE. */
    modeInferred: boolean;
  };
  port: number;
  database: DatabaseConfig;
  github: {
    token?: string;
    /** Where action items become issues. */
    repository?: RepositoryName;
    apiUrl?: string;
    /** Where approved reports are published. */
    reportsRepository?: RepositoryName;
    /** Where private incidents' action items become issues (theirs only; unset, they wait). */
    privateRepository?: RepositoryName;
    /** Where private incidents' approved reports are published (theirs only; unset, they are not). */
    privateReportsRepository?: RepositoryName;
    /** Publish through a pull request instead of a commit on the default branch. */
    reportsViaPullRequest: boolean;
    /** Verifies POST /github/webhook (X-Hub-Signature-256); unset: the webhook route is not served. */
    webhookSecret?: string;
    /** How often action items' issues are reconciled with GitHub (for deployments GitHub cannot call). */
    syncMinutes: number;
  };
  updates: {
    /** Where stakeholder updates are also posted (a channel id), with a link back to the incident. */
    channelId?: string;
    /** While a SEV1/SEV2 incident is open, the liaison is reminded after this long without an update. */
    reminderMinutes: number;
  };
  /** The public status page served by the bot (GET /status and friends); off unless STATUS_PAGE=true. */
  statusPage: { enabled: boolean; title: string };
  /** Atlassian Statuspage, which public updates are pushed to when both are set. */
  atlassianStatuspage?: { apiKey: string; pageId: string; apiUrl: string };
  /** Slack user ids (U…, W…) and user group ids (S…) who may assign roles in any incident. */
  incidentAdmins: string[];
  /** Assembling the response: where incidents are announced, and who is invited at each severity. */
  assemble: {
    /** INCIDENTS_CHANNEL: every incident that is not private is announced there, with a Join button. */
    incidentsChannelId?: string;
    /** INVITE_ON_DECLARE: user and user group ids invited when an incident is declared at, or escalated to, a severity. */
    inviteOnDeclare: Partial<Record<Severity, string[]>>;
    /** INVITE_ON_DECLARE_PRIVATE: the same for private incidents (INVITE_ON_DECLARE never reaches them). */
    inviteOnDeclarePrivate: Partial<Record<Severity, string[]>>;
  };
  timeZone: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Unset: readable on a terminal, JSON otherwise (see src/log.ts). */
  logFormat?: LogFormat;
  reportReminderHours: number;
  /** The team's report sections, titles and order (REPORT_TEMPLATE); unset: the default template. */
  reportTemplate?: Template;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const repository = z
  .string()
  .regex(/^[\w.-]+\/[\w.-]+$/, "should be owner/name, e.g. acme/incidents")
  .transform((value): RepositoryName => {
    const [owner = "", repo = ""] = value.split("/");
    return { owner, repo };
  });

const httpUrl = z.url({ protocol: /^https?$/, error: "should be an http(s) URL, e.g. https://slack.com/api/" });

/**
 * A PostgreSQL URL that `new URL` and the driver can read. A password holding `/`, `@`, `#` or `?`
 * must be percent-encoded, or the URL means something else: say so rather than fail to connect.
 */
const NOT_A_DATABASE_URL =
  "is not a valid postgresql://user:password@host:5432/database URL: " +
  "percent-encode special characters in the password (/ as %2F, @ as %40, # as %23, ? as %3F) and name the database";
const databaseUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "should be a postgresql:// URL, or unset for the embedded database")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.hostname !== "" && /^\/[^/]+$/.test(url.pathname) && /^\d*$/.test(url.port);
    } catch {
      return false;
    }
  }, NOT_A_DATABASE_URL);

/**
 * Values copied from .env.example and never replaced. They have the right prefix, so without this
 * they pass validation and fail later as Slack's invalid_auth.
 */
const PLACEHOLDER = /your-|-here\b|changeme|^(xoxb|xapp)-\.\.\.$|example/i;
function placeholderCheck(what: string) {
  return (ctx: z.core.ParsePayload<string>) => {
    if (PLACEHOLDER.test(ctx.value))
      ctx.issues.push({ code: "custom", input: ctx.value, message: `is still the placeholder from .env.example: ${what}` });
  };
}

const channelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,}$/, "should be a Slack channel id (C…), e.g. C0123ABCD: the channel's details show it");

/** Slack user ids (U…, W… on Enterprise Grid) and user group ids (S…), as INCIDENT_ADMINS takes them. */
const SLACK_IDS = /^[UWS][A-Z0-9]{2,}$/;

/**
 * INVITE_ON_DECLARE="sev1=S0SRE,U0ALICE;sev2=S0SRE": for each severity, the user ids (U…/W…) and
 * user group ids (S…) to invite. Each mistake is named with the part it is in.
 */
const inviteOnDeclare = z.string().transform((value, context): Partial<Record<Severity, string[]>> => {
  const bySeverity: Partial<Record<Severity, string[]>> = {};
  const problem = (message: string) => context.addIssue({ code: "custom", message });
  for (const part of value
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = "", ids = "", ...extra] = part.split("=").map((p) => p.trim());
    const severity = SEVERITIES.find((s) => s === name.toLowerCase());
    const list = ids.split(/[\s,]+/).filter(Boolean);
    if (!severity || extra.length > 0) {
      problem(`has “${part}”: each part should be a severity (sev1…sev4), “=” and ids, e.g. sev1=S0123ABCD,U0456EFGH;sev2=S0123ABCD`);
    } else if (bySeverity[severity]) {
      problem(`names ${severity} twice: give each severity one list`);
    } else if (list.length === 0 || !list.every((id) => SLACK_IDS.test(id))) {
      problem(`has “${part}”: ${severity} should list Slack user ids (U…/W…) and user group ids (S…), separated by commas`);
    } else {
      bySeverity[severity] = list;
    }
  }
  return bySeverity;
});

const logFormat = z.enum(["json", "pretty"], { error: "should be json or pretty (or unset: readable on a terminal, JSON otherwise)" });

/** What commands that only touch the database (migrate, report, list, export) need. */
const storeSchema = z.object({
  DATABASE_URL: databaseUrl.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  TIMEZONE: z.string().refine(isTimeZone, "should be an IANA time zone, e.g. Europe/London").default("UTC"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "should be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  LOG_FORMAT: logFormat.optional(),
});

const schema = storeSchema.extend({
  SLACK_BOT_TOKEN: z
    .string({ error: "is required: the Bot User OAuth Token (xoxb-...) from OAuth & Permissions" })
    .regex(/^xoxb-/, "should start with xoxb-: the Bot User OAuth Token from OAuth & Permissions")
    .check(placeholderCheck("copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions")),
  SLACK_SIGNING_SECRET: z.string().min(1).check(placeholderCheck("copy the Signing Secret from Basic Information")).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "should start with xapp- (an app-level token with connections:write)")
    .check(placeholderCheck("generate an app-level token with connections:write under Basic Information -> App-Level Tokens"))
    .optional(),
  SLACK_MODE: z
    .enum(["socket", "http"], { error: "should be socket or http (or unset: socket with SLACK_APP_TOKEN, http without)" })
    .optional(),
  SLACK_API_URL: httpUrl.optional(),
  PORT: z.coerce.number({ error: "should be a port number, e.g. 3000" }).int().min(0).max(65535).default(3000),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_REPOSITORY: repository.optional(),
  GITHUB_API_URL: httpUrl.optional(),
  REPORTS_REPOSITORY: repository.optional(),
  PRIVATE_GITHUB_REPOSITORY: repository.optional(),
  PRIVATE_REPORTS_REPOSITORY: repository.optional(),
  REPORTS_VIA_PULL_REQUEST: z.enum(["true", "false"], { error: "should be true or false" }).default("false"),
  INCIDENT_ADMINS: z
    .string()
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .refine(
      (ids) => ids.every((id) => SLACK_IDS.test(id)),
      "should be Slack user ids (U…/W…) and user group ids (S…), separated by commas, e.g. U0123ABCD,S0456EFGH",
    )
    .default([]),
  REPORT_REMINDER_HOURS: z.coerce.number({ error: "should be a number of hours, e.g. 48" }).positive().default(48),
  REPORT_TEMPLATE: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(16, "should be at least 16 characters: the secret set on the repository's webhook").optional(),
  GITHUB_SYNC_MINUTES: z.coerce.number({ error: "should be a number of minutes, e.g. 15" }).positive().default(15),
  UPDATES_CHANNEL: channelId.optional(),
  INCIDENTS_CHANNEL: channelId.optional(),
  INVITE_ON_DECLARE: inviteOnDeclare.default({}),
  INVITE_ON_DECLARE_PRIVATE: inviteOnDeclare.default({}),
  UPDATE_REMINDER_MINUTES: z.coerce.number({ error: "should be a number of minutes, e.g. 30" }).positive().default(30),
  STATUS_PAGE: z.enum(["true", "false"], { error: "should be true or false" }).default("false"),
  STATUS_PAGE_TITLE: z.string().min(1).default("Service status"),
  STATUSPAGE_API_KEY: z.string().min(1).optional(),
  STATUSPAGE_PAGE_ID: z
    .string()
    .regex(/^[a-z0-9]+$/, "should be the page id from Statuspage's API info page, e.g. kctbh9vrtdwd")
    .optional(),
  STATUSPAGE_API_URL: httpUrl.default("https://api.statuspage.io/v1/"),
});

/** Rules across variables; checked on the raw values so they are reported with every other problem. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const mode = slackMode(env);
  if (mode?.mode === "socket" && !env.SLACK_APP_TOKEN) {
    problems.push(
      `SLACK_APP_TOKEN is required in Socket Mode (${mode.reason}): ` +
        "an app-level token (xapp-...) with connections:write from Basic Information -> App-Level Tokens",
    );
  }
  if (mode?.mode === "http" && !env.SLACK_SIGNING_SECRET) {
    problems.push(`SLACK_SIGNING_SECRET is required in HTTP mode (${mode.reason}): the Signing Secret from Basic Information`);
  }
  if (!mode) {
    problems.push(
      "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is required: Socket Mode (what manifest.json and .env.example set up) needs SLACK_APP_TOKEN, " +
        "an app-level token with connections:write from Basic Information -> App-Level Tokens; " +
        "HTTP mode needs SLACK_SIGNING_SECRET. SLACK_MODE=socket|http says which",
    );
  }
  const repositories = ["GITHUB_REPOSITORY", "REPORTS_REPOSITORY", "PRIVATE_GITHUB_REPOSITORY", "PRIVATE_REPORTS_REPOSITORY"];
  const set = repositories.filter((name) => env[name]);
  if (set.length > 0 && !env.GITHUB_TOKEN) problems.push(`GITHUB_TOKEN is required when ${set.join(" or ")} is set`);
  // A private incident's issues and report would otherwise land where every incident's are read.
  for (const own of ["PRIVATE_GITHUB_REPOSITORY", "PRIVATE_REPORTS_REPOSITORY"] as const) {
    const value = env[own]?.toLowerCase();
    const shared = ["GITHUB_REPOSITORY", "REPORTS_REPOSITORY"].find((name) => value && env[name]?.toLowerCase() === value);
    if (shared) {
      problems.push(`${own} is also ${shared}: private incidents need a private repository of their own, not the one every incident uses`);
    }
  }
  if (Boolean(env.STATUSPAGE_API_KEY) !== Boolean(env.STATUSPAGE_PAGE_ID)) {
    problems.push(
      "STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID go together: set both to push public updates to Atlassian Statuspage, or neither",
    );
  }
  return problems;
}

/**
 * The Slack mode: SLACK_MODE when set; otherwise Socket Mode when there is an app token (the
 * manifest's default) and HTTP mode when there is only a signing secret. Undefined: nothing to go on.
 */
function slackMode(env: Record<string, string | undefined>): { mode: SlackMode; reason: string; inferred: boolean } | undefined {
  if (env.SLACK_MODE === "socket" || env.SLACK_MODE === "http")
    return { mode: env.SLACK_MODE, reason: `SLACK_MODE=${env.SLACK_MODE}`, inferred: false };
  if (env.SLACK_APP_TOKEN) return { mode: "socket", reason: "SLACK_APP_TOKEN is set and SLACK_MODE is not", inferred: true };
  if (env.SLACK_SIGNING_SECRET)
    return { mode: "http", reason: "SLACK_SIGNING_SECRET is set without SLACK_APP_TOKEN, and SLACK_MODE is not", inferred: true };
  return undefined;
}

/** The template file named by REPORT_TEMPLATE, read and checked now so a mistake stops start-up, not a report. */
function readReportTemplate(path: string | undefined): { template?: Template; problem?: string } {
  if (!path) return {};
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problem:
        `REPORT_TEMPLATE cannot be read (${code ?? (error as Error).message}): ${path} should be a JSON report template, ` +
        "e.g. src/incidents/report/templates/report-2i2c.json",
    };
  }
  try {
    return { template: parseTemplate(json) };
  } catch (error) {
    if (error instanceof TemplateError) return { problem: `REPORT_TEMPLATE (${path}): ${error.message}` };
    throw error;
  }
}

export type StoreConfig = Pick<Config, "database" | "timeZone" | "logLevel" | "logFormat">;

/** Reads `.env` (if present) without overriding variables already set; blank values count as unset. */
function readEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env === process.env && existsSync(".env")) process.loadEnvFile(".env");
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

const describeIssues = (error: z.ZodError | undefined) =>
  error?.issues.map((issue) => `${String(issue.path[0] ?? "environment")} ${issue.message}`) ?? [];

/** The configuration of commands that only touch the database. */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const parsed = storeSchema.safeParse(readEnvironment(env));
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const e = parsed.data;
  return {
    database: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dataDir: e.DATA_DIR },
    timeZone: e.TIMEZONE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
  };
}

/**
 * LOG_FORMAT alone, for the logger's default. A bad value reads as unset here: loadConfig and
 * loadStoreConfig, which run before any logger is made, report it and stop.
 */
export function logFormatFromEnvironment(env: NodeJS.ProcessEnv = process.env): LogFormat | undefined {
  const parsed = logFormat.safeParse(env.LOG_FORMAT || undefined);
  return parsed.success ? parsed.data : undefined;
}

/** The whole configuration of the running bot. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = readEnvironment(env);
  const parsed = schema.safeParse(raw);
  const template = readReportTemplate(raw.REPORT_TEMPLATE);
  const problems = [...describeIssues(parsed.error), ...crossChecks(raw), ...(template.problem ? [template.problem] : [])];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const mode = slackMode(raw)!; // crossChecks refused a configuration without one
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      ...(mode.mode === "socket" ? { appToken: e.SLACK_APP_TOKEN } : {}),
      apiUrl: e.SLACK_API_URL,
      mode: mode.mode,
      modeReason: mode.reason,
      modeInferred: mode.inferred,
    },
    port: e.PORT,
    database: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dataDir: e.DATA_DIR },
    github: {
      token: e.GITHUB_TOKEN,
      repository: e.GITHUB_REPOSITORY,
      apiUrl: e.GITHUB_API_URL,
      reportsRepository: e.REPORTS_REPOSITORY,
      privateRepository: e.PRIVATE_GITHUB_REPOSITORY,
      privateReportsRepository: e.PRIVATE_REPORTS_REPOSITORY,
      reportsViaPullRequest: e.REPORTS_VIA_PULL_REQUEST === "true",
      webhookSecret: e.GITHUB_WEBHOOK_SECRET,
      syncMinutes: e.GITHUB_SYNC_MINUTES,
    },
    updates: { channelId: e.UPDATES_CHANNEL, reminderMinutes: e.UPDATE_REMINDER_MINUTES },
    statusPage: { enabled: e.STATUS_PAGE === "true", title: e.STATUS_PAGE_TITLE },
    ...(e.STATUSPAGE_API_KEY && e.STATUSPAGE_PAGE_ID
      ? { atlassianStatuspage: { apiKey: e.STATUSPAGE_API_KEY, pageId: e.STATUSPAGE_PAGE_ID, apiUrl: e.STATUSPAGE_API_URL } }
      : {}),
    incidentAdmins: e.INCIDENT_ADMINS,
    assemble: {
      incidentsChannelId: e.INCIDENTS_CHANNEL,
      inviteOnDeclare: e.INVITE_ON_DECLARE,
      inviteOnDeclarePrivate: e.INVITE_ON_DECLARE_PRIVATE,
    },
    timeZone: e.TIMEZONE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    reportReminderHours: e.REPORT_REMINDER_HOURS,
    ...(template.template ? { reportTemplate: template.template } : {}),
  };
}
