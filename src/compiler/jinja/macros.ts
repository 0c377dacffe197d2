// dbt's macro semantics on top of nunjucks macros: `{{ return(value) }}` (the call evaluates to `value`,
// any JS value, not rendered text), `varargs` (extra positional arguments, which nunjucks drops) and the
// `exceptions` namespace. return() unwinds with a private signal that every macro boundary catches, so it
// works for macros called through wrapMacro, from the same file, and nested ones.
import { nj } from './internals.js';
import { markTuple } from './py-values.js';

/** The error a template raises through `exceptions.raise_compiler_error(msg)`; `message` is the user's text. */
export class CompilerRaisedError extends Error {
  override readonly name = 'CompilerRaisedError';
}

/** Thrown by return(); caught at the nearest macro boundary. Not an Error: it carries no stack. */
class ReturnSignal {
  constructor(readonly value: unknown) {}
  toString(): string {
    return 'return() was called outside of a macro';
  }
}

/** Symbol under which a call's extra positional arguments ride on its keyword-args object. */
export const VARARGS = Symbol('jinja.varargs');

/** The `return` global. */
export function returnValue(value: unknown): never {
  throw new ReturnSignal(value === undefined ? null : value);
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Replaces runtime.makeMacro (called by compiled templates for every macro and `{% call %}` body) so the
 * made macro catches return() and moves positional arguments beyond the declared ones into `varargs`.
 */
export function patchMakeMacro(): void {
  const rt = nj.runtime;
  const original = rt.makeMacro;
  rt.makeMacro = function makeMacro(argNames: string[], kwargNames: string[], func: Fn): Fn {
    const inner = original(argNames, kwargNames, func);
    const declared = argNames.length + kwargNames.length;
    return function jinjaMacro(this: unknown, ...args: unknown[]): unknown {
      let callArgs = args;
      const n = rt.numArgs(args);
      if (n > declared) {
        const last = args[args.length - 1];
        const kw = rt.makeKeywordArgs(n < args.length ? { ...(last as object) } : {});
        Object.defineProperty(kw, VARARGS, { value: args.slice(declared, n), enumerable: false });
        callArgs = [...args.slice(0, declared), kw];
      }
      try {
        return inner.apply(this, callArgs);
      } catch (e) {
        if (e instanceof ReturnSignal) return e.value;
        throw e;
      }
    };
  };
}

/** `varargs` inside a macro body: the extra positional arguments of the current call. */
export function varargsOf(kwargs: Record<PropertyKey, unknown> | undefined): unknown[] {
  return markTuple(((kwargs?.[VARARGS] as unknown[] | undefined) ?? []).slice());
}

/** `kwargs` inside a macro body: keyword arguments that matched no declared parameter. */
export function kwargsOf(kwargs: Record<string, unknown> | undefined, declared: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!kwargs) return out;
  for (const key of Object.keys(kwargs)) {
    if (key !== '__keywords' && key !== 'caller' && !declared.includes(key)) out[key] = kwargs[key];
  }
  return out;
}

/**
 * Wraps an exported macro for use from other templates: the call evaluates to the return() value when the
 * macro returns one, else to its rendered text as a plain string (not nunjucks' SafeString object).
 */
export function wrapMacro(fn: Fn, name: string): Fn {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      throw e;
    }
    return result instanceof nj.runtime.SafeString ? String(result) : result;
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

/**
 * The message of a CompilerRaisedError behind a render error, if that is what it is. nunjucks wraps errors
 * thrown inside templates (keeping the original as `cause` only with `dev: true`), so this also reads the
 * wrapped message.
 */
export function raisedErrorMessage(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof CompilerRaisedError) return e.message;
  }
  const m = err instanceof Error ? /CompilerRaisedError: ([\s\S]*)$/.exec(err.message) : null;
  return m ? m[1] : undefined;
}

/** dbt's `exceptions` namespace; `warn` messages go to `onWarn` (the compiler turns them into diagnostics). */
export function makeExceptionsNamespace(onWarn: (msg: string) => void = () => {}): {
  raise_compiler_error(msg: unknown): never;
  warn(msg: unknown): string;
} {
  return {
    raise_compiler_error(msg: unknown): never {
      throw new CompilerRaisedError(String(msg));
    },
    warn(msg: unknown): string {
      onWarn(String(msg));
      return '';
    },
  };
}
