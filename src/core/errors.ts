/**
 * An error the user can fix: bad config, data, arguments or environment. The CLI prints its message alone and exits
 * with code 2, never a stack trace. Every such error class extends this one, so the CLI recognises them without
 * loading the modules that throw them.
 */
export class UserError extends Error {}
