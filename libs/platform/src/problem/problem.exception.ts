import { HttpException } from '@nestjs/common';
import { titleForStatus } from './http-status-problem';
import { isProblemCode, type Problem, type ProblemFieldError, problemTypeFor } from './problem';

export interface ProblemInit {
  readonly status: number;
  readonly code: string;
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: readonly ProblemFieldError[];
  /** Defaults to `https://kouza-link.example/problems/<code>`. */
  readonly type?: string;
  readonly instance?: string;
  /** RFC 9457 extension members (ids the caller may use); never personal data. */
  readonly extensions?: Readonly<Record<string, string | number>>;
}

/** An error that is rendered exactly as the problem it carries. */
export class ProblemException extends HttpException {
  readonly problem: Problem;

  constructor(init: ProblemInit, options: { cause?: unknown } = {}) {
    if (!isProblemCode(init.code)) throw new TypeError(`Problem code must be snake_case: ${init.code}`);
    const problem: Problem = {
      ...init.extensions,
      type: init.type ?? problemTypeFor(init.code),
      title: init.title ?? titleForStatus(init.status),
      status: init.status,
      ...(init.detail === undefined ? {} : { detail: init.detail }),
      code: init.code,
      ...(init.errors === undefined ? {} : { errors: init.errors }),
      ...(init.instance === undefined ? {} : { instance: init.instance }),
    };
    super(problem, init.status, options);
    this.problem = problem;
    this.message = init.detail ?? problem.title;
  }
}
