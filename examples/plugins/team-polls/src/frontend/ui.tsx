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
  hideLabel?: boolean | undefined;
}

/** A labelled input whose error is tied to it (aria-invalid, aria-describedby). */
export function TextField(props: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const [field, input] = splitField(props);
  return (
    <LabelledField {...field}>
      <input {...input} {...controlAttributes(field)} />
    </LabelledField>
  );
}

/** The multi-line twin of `TextField`. */
export function TextArea(props: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const [field, textarea] = splitField(props);
  return (
    <LabelledField {...field}>
      <textarea {...textarea} {...controlAttributes(field)} />
    </LabelledField>
  );
}

/** What the field wrapper takes, and what goes on to the control itself. */
function splitField<T extends FieldProps>({ id, label, error, hint, hideLabel, ...control }: T) {
  return [{ id, label, error, hint, hideLabel }, control] as const;
}

function LabelledField({
  id,
  label,
  error,
  hint,
  hideLabel = false,
  children,
}: FieldProps & { children: ReactNode }) {
  return (
    <div className="tp-field">
      <label className={hideLabel ? 'tp-visually-hidden' : 'tp-label'} htmlFor={id}>
        {label}
      </label>
      {children}
      <FieldMessages id={id} error={error} hint={hint} />
    </div>
  );
}

/** What ties a control to its label and to the messages `FieldMessages` renders under it. */
function controlAttributes({ id, error, hint }: FieldProps) {
  return {
    id,
    className: 'tp-input',
    'aria-invalid': error !== undefined,
    'aria-describedby': describedBy(id, error !== undefined, hint !== undefined),
  };
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
