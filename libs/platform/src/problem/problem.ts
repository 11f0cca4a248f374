/** RFC 9457 problem details as this service renders them: every error body has a stable snake_case `code`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly instance?: string;
  /** Extension members (RFC 9457 §3.2). */
  readonly [extension: string]: unknown;
}

export interface ProblemFieldError {
  /** Dotted path into the request body, e.g. `bankAccount.number` or `items.0.name`. */
  readonly field: string;
  readonly message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_TYPE_BASE = 'https://kouza-link.example/problems/';

export function problemTypeFor(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export function isProblemCode(code: string): boolean {
  return SNAKE_CASE.test(code);
}
