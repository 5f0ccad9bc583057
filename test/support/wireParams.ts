// Reading a request parameter that the real service (Slack, GitHub, Statuspage) takes only as a string.
// The fakes must not be kinder than the services: String() of an object the bot sent by mistake would
// read "[object Object]" and carry on, where the service refuses the request. So a parameter of any
// other JSON type throws WrongParamType, which each fake answers the way its service does.

/** A parameter that is present but not a string. */
export class WrongParamType extends Error {
  constructor(
    readonly param: string,
    readonly value: unknown,
  ) {
    super(`${param} must be a string, not ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
    this.name = "WrongParamType";
  }
}

/** The parameter's string; undefined when it is absent (undefined or null); throws WrongParamType otherwise. */
export function stringParam(params: Record<string, unknown> | null | undefined, name: string): string | undefined {
  const value = params?.[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  throw new WrongParamType(name, value);
}
