import { randomUUID } from 'node:crypto';
import type { MeView } from '../../auth/dto/me.view';
import type { ErrorCode } from '../../common/errors/error-code';
import type { Problem } from '../../common/errors/problem';
import type { OrganizationView } from '../../organizations/dto/organization-view';
import type { UserView } from '../../users/dto/user-view';

/** The wire shapes the demo reads, typed from the API's own view classes (type-only imports). */
export type { MeView, OrganizationView, Problem, UserView };

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AccessToken {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

/** A response that was not the expected 2xx: its status and, when the API sent one, the problem. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: Problem | null,
    readonly text: string,
  ) {
    super(
      `${method} ${path} answered ${status}` +
        (problem
          ? ` ${problem.code}: ${problem.detail}${describeProblemErrors(problem)}`
          : text
            ? `: ${text.slice(0, 300)}`
            : ''),
    );
    this.name = 'ApiError';
  }

  get code(): ErrorCode | undefined {
    return this.problem?.code;
  }
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ApiClientOptions {
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as `X-Api-Key: …` (an ERP system's key) instead of a token. */
  apiKey?: string;
  /** Per request, including retries of that request. */
  timeoutMs?: number;
  /** How often a transient failure (connection refused, 503, 409 key in progress, 429) is retried. */
  retries?: number;
}

export interface RequestOptions {
  /** A JSON body. */
  body?: unknown;
  /** A body sent as is (CSV, XML), with its content type; wins over `body`. */
  document?: { text: string; contentType: string };
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** Problem codes that mean "the same request may succeed in a moment". */
const TRANSIENT_CODES = new Set<string>([
  'IDEMPOTENCY_KEY_IN_PROGRESS',
  'CONCURRENT_UPDATE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/**
 * A small typed client for the portal's HTTP API, used by the demo (and meant for the walk-through
 * later issues add). Every state-changing call carries an Idempotency-Key that stays the same
 * across its retries, so a retried POST has the effect of one.
 */
export class ApiClient {
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(
    readonly baseUrl: string,
    private readonly options: ApiClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 4;
  }

  /** The same client, signed in as someone else. */
  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, { ...this.options, token, apiKey: undefined });
  }

  /** The same client, calling as an ERP system with an API key. */
  withApiKey(apiKey: string): ApiClient {
    return new ApiClient(this.baseUrl, { ...this.options, token: undefined, apiKey });
  }

  get token(): string | undefined {
    return this.options.token;
  }

  /** POST /api/v1/auth/login (public, so no Idempotency-Key: it changes nothing a retry could double). */
  async login(email: string, password: string): Promise<AccessToken> {
    return this.json<AccessToken>('POST', '/api/v1/auth/login', { body: { email, password } });
  }

  /** Signs in and returns a client that acts as that person. */
  async signedIn(email: string, password: string): Promise<ApiClient> {
    return this.withToken((await this.login(email, password)).accessToken);
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.json<T>('GET', withQuery(path, query));
  }

  /** A state-changing POST; `idempotencyKey` defaults to a fresh UUID, reused on retries. */
  post<T>(path: string, body: unknown, options: { idempotencyKey?: string } = {}): Promise<T> {
    return this.json<T>('POST', path, {
      body,
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
    });
  }

  /** A state-changing PUT (idempotent by nature; it carries a key all the same). */
  put<T>(path: string, body: unknown, options: { idempotencyKey?: string } = {}): Promise<T> {
    return this.json<T>('PUT', path, {
      body,
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
    });
  }

  /** A partial update (PATCH); it carries a key like every state-changing call. */
  patch<T>(path: string, body: unknown, options: { idempotencyKey?: string } = {}): Promise<T> {
    return this.json<T>('PATCH', path, {
      body,
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
    });
  }

  /**
   * A state-changing POST of a document that is not JSON (a CSV upload, a UBL XML file), sent as
   * is with its content type; the answer is JSON.
   */
  postDocument<T>(
    path: string,
    document: { text: string; contentType: string },
    options: { idempotencyKey?: string } = {},
  ): Promise<T> {
    return this.json<T>('POST', path, {
      document,
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
    });
  }

  /** A binary body (a PDF): the bytes of a 2xx answer, or throws ApiError. */
  async download(path: string, accept = 'application/pdf'): Promise<Buffer> {
    const headers: Record<string, string> = { Accept: accept };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (this.options.apiKey) headers['X-Api-Key'] = this.options.apiKey;
    const reply = await fetch(new URL(path, this.baseUrl), {
      headers,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const bytes = Buffer.from(await reply.arrayBuffer());
    if (reply.status !== 200) {
      const text = bytes.toString('utf8');
      const response = { status: reply.status, headers: reply.headers, text };
      throw new ApiError('GET', path, reply.status, parseProblem(response), text);
    }
    return bytes;
  }

  /** Parses a 2xx JSON body, or throws ApiError. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    if (response.status < 200 || response.status >= 300) {
      throw new ApiError(method, path, response.status, parseProblem(response), response.text);
    }
    return (response.text ? JSON.parse(response.text) : undefined) as T;
  }

  /**
   * One HTTP exchange, whatever its status, retried with backoff while the failure is transient.
   * Redirects are not followed, so a 303 can be checked as such.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (this.options.apiKey) headers['X-Api-Key'] = this.options.apiKey;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.document !== undefined) {
      headers['Content-Type'] = options.document.contentType;
      body = options.document.text;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    for (let attempt = 0; ; attempt++) {
      let response: RawResponse;
      try {
        const reply = await fetch(new URL(path, this.baseUrl), {
          method,
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        response = { status: reply.status, headers: reply.headers, text: await reply.text() };
      } catch (error) {
        if (attempt >= this.retries) {
          throw new Error(`${method} ${path} failed: ${describeFetchError(error)}`, {
            cause: error,
          });
        }
        await sleep(backoffMs(attempt));
        continue;
      }
      const problem = response.status >= 400 ? parseProblem(response) : null;
      const transient =
        response.status === 503 || (problem !== null && TRANSIENT_CODES.has(problem.code));
      if (!transient || attempt >= this.retries) return response;
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(retryAfter * 1000, 10_000)
          : backoffMs(attempt),
      );
    }
  }
}

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function parseProblem(response: RawResponse): Problem | null {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json') || !response.text) return null;
  try {
    const body = JSON.parse(response.text) as Partial<Problem>;
    return typeof body.code === 'string' && typeof body.status === 'number'
      ? (body as Problem)
      : null;
  } catch {
    return null;
  }
}

/**
 * The first few offending fields or rows a problem lists (`errors`, or a bulk upload's
 * `rejected`), so that a failed step says what was wrong, not only that something was.
 */
function describeProblemErrors(problem: Problem): string {
  const listed = [problem.errors, problem.rejected].find(Array.isArray) as
    Array<{ row?: number; field?: string; code?: string; message?: string }> | undefined;
  if (!listed || listed.length === 0) return '';
  const shown = listed
    .slice(0, 5)
    .map((error) =>
      [error.row === undefined ? '' : `row ${error.row}`, error.field, error.code, error.message]
        .filter(Boolean)
        .join(' '),
    );
  return ` [${shown.join('; ')}${listed.length > 5 ? `; and ${listed.length - 5} more` : ''}]`;
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

const backoffMs = (attempt: number): number => Math.min(200 * 2 ** attempt, 3_000);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
