// A section of the card folded to its title: one tap (a button with aria-expanded) opens it.
// Folded, its form stays mounted, so what was typed in it is kept.
import type { ComponentChildren } from "preact";

export function Fold({
  id,
  title,
  note,
  open,
  onToggle,
  children,
}: {
  id: string;
  title: string;
  note?: string;
  open: boolean;
  onToggle: () => void;
  children: ComponentChildren;
}) {
  return (
    <div class="fold" data-section={id}>
      <h3 class="fold-head">
        <button type="button" aria-expanded={open} aria-controls={`fold-${id}`} data-testid={`section-${id}`} onClick={onToggle}>
          <span class="fold-title">{title}</span>
          {note && <span class="fold-note">{note}</span>}
        </button>
      </h3>
      <div id={`fold-${id}`} class="fold-body" hidden={!open}>
        {children}
      </div>
    </div>
  );
}
