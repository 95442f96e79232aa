// The phone's position as a Preact hook, shared by the medic view and its evacuation panel
// (in its own module so that neither imports the other).
import { useEffect, useState } from "preact/hooks";
import { type Fix, lastFix, watchPosition } from "../position";

export function usePosition(): Fix | null {
  const [fix, setFix] = useState<Fix | null>(lastFix());
  useEffect(() => watchPosition(setFix), []);
  return fix;
}
