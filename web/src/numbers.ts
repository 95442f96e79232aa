// Numbers as people type them on a phone: a decimal comma or point, nothing else.

const DECIMAL = /^(\d+([.,]\d*)?|[.,]\d+)$/;

/** The positive number typed in `text` (at most `max`), or null if it is not one. */
export function positiveNumber(text: string, max: number): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed.replace(",", "."));
  return Number.isFinite(value) && value > 0 && value <= max ? value : null;
}
