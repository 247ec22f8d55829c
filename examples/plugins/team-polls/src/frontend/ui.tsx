import type {
  ButtonHTMLAttributes,
  InputHTMLAttributes,
  ReactNode,
  TextareaHTMLAttributes,
} from 'react';

type Variant = 'primary' | 'default' | 'danger';

export function Button({
  variant = 'primary',
  size = 'md',
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' }) {
  return (
    <button {...rest} type={type} className="tp-button" data-variant={variant} data-size={size} />
  );
}

interface FieldProps {
  id: string;
  label: ReactNode;
  /** The field's problem, shown under it and announced with it. */
  error?: string | undefined;
  hint?: string | undefined;
  /** For fields whose group already says what they are: the label is read out, not shown. */
  hideLabel?: boolean;
}

/** A labelled input whose error is tied to it (aria-invalid, aria-describedby). */
export function TextField({
  id,
  label,
  error,
  hint,
  hideLabel = false,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="tp-field">
      <label className={hideLabel ? 'tp-visually-hidden' : 'tp-label'} htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        id={id}
        className="tp-input"
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, error !== undefined, hint !== undefined)}
      />
      <FieldMessages id={id} error={error} hint={hint} />
    </div>
  );
}

export function TextArea({
  id,
  label,
  error,
  hint,
  hideLabel = false,
  ...input
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className="tp-field">
      <label className={hideLabel ? 'tp-visually-hidden' : 'tp-label'} htmlFor={id}>
        {label}
      </label>
      <textarea
        {...input}
        id={id}
        className="tp-input"
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, error !== undefined, hint !== undefined)}
      />
      <FieldMessages id={id} error={error} hint={hint} />
    </div>
  );
}

/** The ids of a field's error and hint, for its `aria-describedby`. */
export function describedBy(id: string, hasError: boolean, hasHint: boolean): string | undefined {
  const ids = [hasError ? `${id}-error` : null, hasHint ? `${id}-hint` : null].filter(
    (part) => part !== null,
  );
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FieldMessages({
  id,
  error,
  hint,
}: {
  id: string;
  error?: string | undefined;
  hint?: string | undefined;
}) {
  return (
    <>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="tp-muted">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="tp-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

export function Alert({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="tp-alert">
      {children}
    </p>
  );
}

export function Badge({ open }: { open: boolean }) {
  return (
    <span className="tp-badge" data-state={open ? 'open' : 'closed'}>
      {open ? 'Open' : 'Closed'}
    </span>
  );
}
