import { DataverseError } from "./errors";

/**
 * Service-protection (429) and arbitrary failures, so that retry policies of flows can be tested.
 * The share is drawn from a seeded generator: the same seed fails the same calls in every run.
 */
export interface ThrottleOptions {
  /** Share of calls answered with 429, 0..1. */
  share: number;
  retryAfterSeconds?: number;
  seed?: number;
}

/** mulberry32: tiny, seedable, good enough to pick which calls fail. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private throttling: { share: number; retryAfterSeconds: number; random: () => number } | undefined;
  private queued: number[] = [];

  throttle(options: ThrottleOptions | undefined): void {
    this.throttling = options && {
      share: options.share,
      retryAfterSeconds: options.retryAfterSeconds ?? 5,
      random: seededRandom(options.seed ?? 1),
    };
  }

  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.queued.push(status);
  }

  /** The fault for this call, if any; queued failures come before random throttling. */
  next(): DataverseError | undefined {
    const status = this.queued.shift();
    if (status !== undefined) return status === 429 ? this.tooManyRequests(5) : injected(status);
    if (this.throttling && this.throttling.random() < this.throttling.share) return this.tooManyRequests(this.throttling.retryAfterSeconds);
    return undefined;
  }

  private tooManyRequests(retryAfterSeconds: number): DataverseError {
    return new DataverseError(429, "0x80072322", "Number of requests exceeded the limit of 6000 over time window of 300 seconds.", {
      "Retry-After": String(retryAfterSeconds),
    });
  }
}

function injected(status: number): DataverseError {
  return new DataverseError(status, "0x80040216", `Injected failure (HTTP ${status}) from the fake Dataverse.`);
}
