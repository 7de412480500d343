/** A control-API request the subject's state does not allow (answered 409). */
export class ConflictError extends Error {}
