// Slack user groups' members (src/slack/admins.ts implements it).
import type { UserId } from "../model.js";

/** User groups' members (usergroups.users.list), read briefly cached: the admins list and invitations share them. */
export interface UserGroups {
  members(groupId: string): Promise<UserId[]>;
}
