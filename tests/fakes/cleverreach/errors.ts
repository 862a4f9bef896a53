/** An answer with an error status, shaped like CleverReach's: `{"error":{"code":…,"message":…}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: number; message: string } } {
    return { error: { code: this.status, message: this.message } };
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, `Bad Request: ${message}`);
export const notFound = (message: string): ApiError => new ApiError(404, `Not Found: ${message}`);
export const unauthorized = (message: string): ApiError => new ApiError(401, `Unauthorized: ${message}`);
