/** An error answer of one of our JSON APIs (the emulator, the inspector): `{"error": {"code", "message", "field"?}}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const invalid = (field: string, message: string) => new ApiError(400, 'invalid_request', `${field}: ${message}`, field);
export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `no ${what} with id ${id}`);
