// People's names as Slack gave them, cached so reports show names without Slack, and their GitHub logins.
import type { UserId } from "../model.js";

/** A person's names as Slack gave them, cached by the store. */
export interface PersonNames {
  userId: UserId;
  /** Slack's profile display name; null when the person has not set one. */
  displayName: string | null;
  /** Slack's real name, or the username when no real name is set. */
  realName: string | null;
}

/** How a person is shown: the display name, else the real name (which holds the username when there is none). */
export const preferredName = (names: Pick<PersonNames, "displayName" | "realName">): string | null =>
  names.displayName?.trim() || names.realName?.trim() || null;

/** The names of people the bot has seen, kept in the database so reports show names without Slack. */
export interface NameCache {
  /** The cached names of these people (unknown ids are left out), with when they were read from Slack. */
  knownNames(userIds: UserId[]): Promise<Record<UserId, PersonNames & { updatedAt: Date }>>;
  /**
   * Stores names read from Slack at `at`. With `onlyKnown`, only people already in the store are
   * updated: a workspace-wide profile change does not add everyone in the workspace.
   */
  saveNames(people: PersonNames[], at: Date, options?: { onlyKnown?: boolean }): Promise<void>;
}

/** People: the names Slack gave (cached) and the GitHub logins they set. */
export interface PeopleStore extends NameCache {
  setGithubLogin(userId: UserId, login: string | null): Promise<void>;
  githubLogins(userIds: UserId[]): Promise<Record<UserId, string>>;
}
