import type { ReactNode } from "react";
import { safeHttpUrl } from "../../../src/report/formatting.js";
import { linkHandler } from "../router";

/** An in-app link (History API navigation). */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a href={to} onClick={linkHandler(to)} className={className}>
      {children}
    </a>
  );
}

/** An outside link, only for http(s) URLs; anything else (javascript:, data:, …) is shown as plain text. */
export function SafeLink({ url, children }: { url: string | null | undefined; children?: ReactNode }) {
  const href = safeHttpUrl(url);
  if (!href) return <span className="unsafe-url">{children ?? url ?? ""}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children ?? href}
    </a>
  );
}

/** Model output, prompts and other text from the run: always text, never markup; whitespace kept. */
export function TextBlock({ text, className }: { text: string | null | undefined; className?: string }) {
  if (text === null || text === undefined) return <span className="muted">(none)</span>;
  return <pre className={`text-block ${className ?? ""}`}>{text}</pre>;
}

export function Loading({ what }: { what: string }) {
  return <p className="loading">Loading {what}…</p>;
}

export function ErrorNote({ error }: { error: string }) {
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

export function Note({ children }: { children: ReactNode }) {
  return <p className="note">{children}</p>;
}

/** A row of mutually exclusive buttons (one pressed): currency, outcome filters. */
export function Toggle<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: ReactNode }[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="toggle" aria-label={label}>
      <legend className="sr-only">{label}</legend>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          data-value={o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  );
}
