import { ChildProcess } from 'node:child_process';

/** Options of startMock; they mirror the command's flags. */
export interface MockOptions {
  /** The only API key accepted (default: a random one, in `mock.apiKey`). */
  apiKey?: string;
  /** A separate token for the admin endpoints. */
  adminToken?: string;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Seed objects (`{ tunnels: [...] }`) or a JSON file's path. */
  seed?: Record<string, unknown[]> | string;
  noDefaultSeed?: boolean;
  /** Such as `'120/60s'`. */
  rateLimit?: string;
  retryAfter?: number;
  latencyMs?: number;
  journal?: number;
  filterTimeoutMs?: number;
  /** A file to keep the state in across restarts. */
  state?: string;
  /** When to save the state file: `'always'` (after every write) or `'shutdown'`. */
  sync?: 'always' | 'shutdown';
  /** Allow writes to sunset services (edges, their modules, backends). */
  legacyWrites?: boolean;
  /** How long a managed certificate takes to be issued, such as `'30s'` (default 3 s). */
  certProvisioningDelay?: string;
  /** Raw flags added to the command line. */
  args?: string[];
  /** The emulator binary (default: the one in this package). */
  binary?: string;
  /** Bound on the start (default 20000). */
  startupTimeoutMs?: number;
  /** Bound on every admin request (default 10000). */
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface Fault {
  method?: string;
  path?: string;
  status?: number;
  times?: number | null;
  body?: unknown;
  html?: string;
  headers?: [string, string][];
  delay_ms?: number;
  drop_connection?: boolean;
}

export interface JournalEntry {
  method: string;
  path: string;
  query: string | null;
  headers: [string, string][];
  body: string;
  status: number | null;
}

export declare class Mock {
  readonly url: string;
  readonly apiKey: string;
  readonly process: ChildProcess;
  readonly running: boolean;
  stderr(): string;
  exited(): Promise<void>;
  health(): Promise<{ ok: boolean; url: string }>;
  reset(): Promise<void>;
  seed(accessor: string, objects: Record<string, unknown>): Promise<Record<string, unknown>>;
  seed(accessor: string, objects: Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
  seed(all: Record<string, unknown[]>): Promise<Record<string, Record<string, unknown>[]>>;
  fault(spec: Fault): Promise<Fault[]>;
  faults(): Promise<Fault[]>;
  clearFaults(): Promise<void>;
  journal(): Promise<JournalEntry[]>;
  clearJournal(): Promise<void>;
  /** Moves the emulator's clock forward. */
  advanceClock(seconds: number): Promise<{ now: string; offset_seconds: number; cert_provisioning_delay_seconds: number }>;
  stop(timeoutMs?: number): Promise<number | null>;
}

export declare class MockError extends Error {
  code: 'START' | 'CRASHED' | 'TIMEOUT' | 'ADMIN';
  status?: number;
  body?: string;
}

export declare function startMock(options?: MockOptions): Promise<Mock>;
export declare function binaryPath(): string;
