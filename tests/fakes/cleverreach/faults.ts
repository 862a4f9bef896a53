/**
 * Failures the tests can switch on, to check retry and timeout handling against CleverReach's
 * failure modes. A 429 carries no Retry-After: the SDK only maps 429 to RateLimitExceededException
 * and its README suggests sleep(60); no source shows the header, so flows must not count on it.
 * 400 is CleverReach's answer to data it does not accept (the SDK's validation error; the fake
 * refuses a whole upsert batch for one bad address the same way), 413 to a batch it finds too large
 * (reference/cleverreach-api.md, "a too-large batch answers 413"; the fake's request check answers
 * it past 1000 rows): a test can have CleverReach refuse a call so, with CleverReach's `message`.
 */
export type Fault =
  | { kind: "status"; status: 400 | 413 | 429 | 500 | 502 | 503; times?: number; operationId?: string; message?: string }
  | { kind: "timeout"; holdMs?: number; times?: number; operationId?: string };

export class FaultSwitch {
  private queue: Array<Fault & { left: number }> = [];

  inject(fault: Fault): void {
    this.queue.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault that hits this call, if any; each hit uses up one of its `times`. */
  take(operationId: string): Fault | undefined {
    const f = this.queue.find((q) => q.left > 0 && (!q.operationId || q.operationId === operationId));
    if (!f) return undefined;
    f.left -= 1;
    this.queue = this.queue.filter((q) => q.left > 0);
    return f;
  }
}
