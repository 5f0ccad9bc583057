/** A problem the person who typed the command can fix; its message is shown to them as is. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
