/**
 * Options declared once, as a table: each entry's type, range, default and
 * description (like scikit-learn's parameter constraints). The same table
 * checks a constructor's options (resolveOptions), describes a fitted
 * estimator (describeOptions), and is what the CLI option groups and the
 * model info read their defaults and help from. Where the paper's
 * reproduction deliberately uses another default than the product, the
 * entry's `reproduce` says which and `why`.
 */
import { SentivecError } from './errors.js';

interface Base<V> {
  readonly description: string;
  /** The default; a function computes it when the options are resolved (e.g. from the core count). */
  readonly default: V | (() => V);
  /** `sentivec reproduce` / `cv` default, when it differs on purpose from the product's. */
  readonly reproduce?: V;
  /** Why the reproduction's default differs. */
  readonly why?: string;
  /** The option changes how the work runs, never its result (threads, the implementation). */
  readonly runtimeOnly?: boolean;
}

export interface NumberSpec<V extends number | undefined = number> extends Base<V> {
  readonly type: 'number' | 'integer';
  readonly min?: number;
  /** The minimum itself is not allowed. */
  readonly minExclusive?: boolean;
  readonly max?: number;
}

/** A non-empty list of numbers (a grid of candidates), each in the range. */
export interface NumberListSpec extends Base<readonly number[]> {
  readonly type: 'numbers';
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
}

export interface BooleanSpec extends Base<boolean> {
  readonly type: 'boolean';
}

export interface ChoiceSpec<V extends string | undefined = string> extends Base<V> {
  readonly type: 'choice';
  readonly choices: readonly Exclude<V, undefined>[];
}

type Fields<S> = Omit<S, 'type'>;
/** Builders: they fix each entry's value type (a literal default would otherwise narrow it). */
export const num = (s: Fields<NumberSpec<number>>): NumberSpec<number> => ({ type: 'number', ...s });
export const int = (s: Fields<NumberSpec<number>>): NumberSpec<number> => ({ type: 'integer', ...s });
/** A number whose absence means something (the default is computed later by the estimator). */
export const optionalNum = (s: Omit<Fields<NumberSpec<number | undefined>>, 'default'>): NumberSpec<number | undefined> => ({ type: 'number', default: undefined, ...s });
export const numbers = (s: Fields<NumberListSpec>): NumberListSpec => ({ type: 'numbers', ...s });
/** An integer whose absence means something (the default is computed later by the estimator). */
export const optionalInt = (s: Omit<Fields<NumberSpec<number | undefined>>, 'default'>): NumberSpec<number | undefined> => ({ type: 'integer', default: undefined, ...s });
export const bool = (s: Fields<BooleanSpec>): BooleanSpec => ({ type: 'boolean', ...s });
export function choice<V extends string>(choices: readonly V[], s: Omit<Fields<ChoiceSpec<V>>, 'choices'>): ChoiceSpec<V> {
  return { type: 'choice', choices, ...s };
}
export function optionalChoice<V extends string>(choices: readonly V[], s: Omit<Fields<ChoiceSpec<V | undefined>>, 'choices' | 'default'>): ChoiceSpec<V | undefined> {
  return { type: 'choice', choices, default: undefined, ...s };
}

export type OptionSpec = NumberSpec<number> | NumberSpec<number | undefined> | NumberListSpec | BooleanSpec | ChoiceSpec<string> | ChoiceSpec<string | undefined>;
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The value type an entry resolves to. */
export type ValueOf<S> = S extends Base<infer V> ? V : never;
export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]: ValueOf<T[K]> };
/** What a caller may pass: every option optional. */
export type GivenOptions<T extends OptionTable> = { [K in keyof T]?: Exclude<ValueOf<T[K]>, undefined> };

/** The range of a number entry in words: "an integer ≥ 1", "a number > 0 and ≤ 1". */
export function rangeText(s: NumberSpec<number | undefined>): string {
  const kind = s.type === 'integer' ? 'integer' : 'number';
  if (s.max === undefined && s.min === (s.type === 'integer' ? 1 : 0) && (s.type === 'integer' || s.minExclusive)) return `a positive ${kind}`;
  const parts: string[] = [];
  if (s.min !== undefined) parts.push(`${s.minExclusive ? '>' : '≥'} ${s.min}`);
  if (s.max !== undefined) parts.push(`≤ ${s.max}`);
  return `${s.type === 'integer' ? 'an integer' : 'a number'}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`;
}

/** Whether `v` is a finite number in the entry's range. */
function inRange(s: NumberSpec<number | undefined> | NumberListSpec, integer: boolean, v: unknown): boolean {
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!integer || Number.isInteger(v)) &&
    (s.min === undefined || (s.minExclusive ? v > s.min : v >= s.min)) &&
    (!('max' in s) || s.max === undefined || v <= s.max)
  );
}

function check(who: string, name: string, s: OptionSpec, v: unknown): void {
  const bad = (what: string): SentivecError => new SentivecError(`${who} option ${name} must be ${what}, got ${String(v)}`);
  switch (s.type) {
    case 'numbers': {
      const item = rangeText({ type: 'number', min: s.min, minExclusive: s.minExclusive, max: s.max, default: 0, description: '' });
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => inRange(s, false, x))) throw bad(`a non-empty list, each ${item.replace(/^a /, '')}`);
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw bad('true or false');
      return;
    case 'choice':
      if (!(s.choices as readonly unknown[]).includes(v)) throw bad(`one of ${s.choices.join(', ')}`);
      return;
    default:
      if (!inRange(s, s.type === 'integer', v)) throw bad(rangeText(s));
  }
}

/**
 * Every option of `table`: the given value, checked against its entry, else
 * the default. Other names in `given` are left to the caller (a subclass's
 * own options).
 */
export function resolveOptions<T extends OptionTable>(who: string, table: T, given: GivenOptions<T> = {}): OptionValues<T> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const v = (given as Record<string, unknown>)[name];
    if (v === undefined) {
      out[name] = typeof spec.default === 'function' ? (spec.default as () => unknown)() : spec.default;
      if (out[name] !== undefined) check(who, name, spec, out[name]);
    } else {
      check(who, name, spec, v);
      out[name] = v;
    }
  }
  return out as OptionValues<T>;
}

export interface OptionDescription {
  value: unknown;
  default: unknown;
  description: string;
}

/** The options as set, each with its default and description: what describe() and the model info show. */
export function describeOptions<T extends OptionTable>(table: T, values: OptionValues<T>): Record<string, OptionDescription> {
  const out: Record<string, OptionDescription> = {};
  for (const [name, spec] of Object.entries(table)) {
    out[name] = { value: values[name], default: typeof spec.default === 'function' ? 'computed' : spec.default, description: spec.description };
  }
  return out;
}

/** Which defaults a caller takes from a table: the product's, the reproduction's (`reproduce` where an entry has one), or none (the estimator's own, computed later). */
export type DefaultsFor = 'product' | 'reproduce' | 'none';

/** An entry's default for `defaults` (undefined for 'none' or a computed default). */
export function defaultFor<V>(spec: Base<V>, defaults: DefaultsFor): V | undefined {
  if (defaults === 'none' || typeof spec.default === 'function') return undefined;
  return defaults === 'reproduce' && spec.reproduce !== undefined ? spec.reproduce : (spec.default as V);
}

/** An entry's default as it stands now: a computed one (e.g. the threads this machine has) is computed. */
export function currentDefault<V>(spec: Base<V>): V {
  return typeof spec.default === 'function' ? (spec.default as () => V)() : (spec.default as V);
}

/** An entry's fixed default for `defaults` (an entry without one is a programming error). */
export function fixedDefault<V>(spec: Base<V>, defaults: Exclude<DefaultsFor, 'none'>): V {
  const v = defaultFor(spec, defaults);
  if (v === undefined) throw new Error(`option '${spec.description}' has no fixed default`);
  return v;
}
