"""Front and back body outlines with a cross at each injury and a band at each tourniquet.

The outline is drawn in the web app's 200 x 400 diagram units (web/src/medic/Injuries.tsx), so
``diagram_x`` and ``diagram_y`` (0..1) land where the medic tapped. As there, the front view is
drawn as the medic faces the casualty: his left is on the right of the front view, and on the
left of the back view. Injuries without coordinates are marked at the centre of their region.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color, black  # type: ignore[import-untyped]

from goldenhour.adapters.printing.sheet import GREY, Sheet
from goldenhour.domain.casualty.events import InjuryRecorded
from goldenhour.domain.casualty.vocabulary import BodyRegion, BodyView, Laterality, Limb

__all__ = ["draw_body"]

WIDTH, HEIGHT = 200.0, 400.0
MARK = Color(0.8, 0.0, 0.0)
SKIN = Color(0.96, 0.96, 0.96)

# Rounded boxes (x, y, width, height) of the figure's viewer-left half; mirrored for the right.
_HALF = (
    (34, 80, 24, 58),  # upper arm
    (30, 134, 24, 56),  # forearm
    (28, 188, 26, 28),  # hand
    (64, 204, 35, 86),  # thigh
    (68, 286, 29, 78),  # lower leg
    (64, 362, 34, 30),  # foot
)
# Centres of regions on the viewer-left half (x, y), for injuries without coordinates.
_CENTRES = {
    BodyRegion.HEAD: (100, 26), BodyRegion.FACE: (100, 30), BodyRegion.EYE: (91, 22),
    BodyRegion.NECK: (100, 62), BodyRegion.CHEST: (82, 106), BodyRegion.ABDOMEN: (86, 152),
    BodyRegion.PELVIS: (86, 190), BodyRegion.GROIN: (88, 204), BodyRegion.BACK: (84, 120),
    BodyRegion.BUTTOCK: (82, 196), BodyRegion.SHOULDER: (58, 84), BodyRegion.UPPER_ARM: (46, 108),
    BodyRegion.ELBOW: (44, 136), BodyRegion.FOREARM: (42, 162), BodyRegion.HAND: (41, 202),
    BodyRegion.THIGH: (82, 246), BodyRegion.KNEE: (82, 288), BodyRegion.LOWER_LEG: (82, 322),
    BodyRegion.FOOT: (81, 378), BodyRegion.WHOLE_BODY: (100, 150),
}  # fmt: skip
_MIDLINE_REGIONS = frozenset({BodyRegion.HEAD, BodyRegion.FACE, BodyRegion.NECK,
                              BodyRegion.WHOLE_BODY})  # fmt: skip
# Where a tourniquet band is drawn: high on the limb, as "high and tight" is taught.
_TOURNIQUET_Y = {Limb.RIGHT_ARM: 96.0, Limb.LEFT_ARM: 96.0, Limb.RIGHT_LEG: 236.0,
                 Limb.LEFT_LEG: 236.0}  # fmt: skip


def _on_viewer_left(laterality: Laterality | None, view: BodyView) -> bool | None:
    """Tell whether the casualty's side is on the viewer's left in this view."""
    if laterality is Laterality.LEFT:
        return view is BodyView.BACK
    if laterality is Laterality.RIGHT:
        return view is BodyView.FRONT
    return None


def injury_point(injury: InjuryRecorded, view: BodyView) -> tuple[float, float] | None:
    """Return where an injury is marked on ``view`` in diagram units, or ``None`` if not there."""
    on = injury.view or (BodyView.BACK if injury.region in (BodyRegion.BACK, BodyRegion.BUTTOCK)
                         else BodyView.FRONT)  # fmt: skip
    if on is not view:
        return None
    if injury.diagram_x is not None and injury.diagram_y is not None:
        return injury.diagram_x * WIDTH, injury.diagram_y * HEIGHT
    x, y = _CENTRES[injury.region]
    if injury.region in _MIDLINE_REGIONS or injury.laterality in (None, Laterality.MIDLINE):
        return (100.0 if injury.region in _MIDLINE_REGIONS else x), y
    left = _on_viewer_left(injury.laterality, view)
    return (x if left else WIDTH - x), y


def draw_body(
    sheet: Sheet, x: float, top: float, height: float, *, view: BodyView,
    injuries: Sequence[InjuryRecorded], tourniquets: Sequence[Limb],
) -> None:  # fmt: skip
    """Draw one outline ``height`` points tall, its top-left corner at (``x``, ``top``)."""
    scale = height / HEIGHT
    c = sheet.canvas
    c.saveState()
    c.translate(x, sheet.height - top)
    c.scale(scale, -scale)
    c.setLineWidth(0.6 / scale)
    c.setStrokeColor(GREY)
    c.setFillColor(SKIN)
    c.ellipse(77, 4, 123, 50, stroke=1, fill=1)  # head
    c.rect(89, 48, 22, 30, stroke=1, fill=1)  # neck
    torso = c.beginPath()
    torso.moveTo(60, 80)
    torso.curveTo(75, 74, 125, 74, 140, 80)
    torso.lineTo(138, 176)
    torso.lineTo(139, 208)
    torso.lineTo(61, 208)
    torso.lineTo(62, 176)
    torso.close()
    c.drawPath(torso, stroke=1, fill=1)
    for bx, by, bw, bh in _HALF:
        for left in (bx, WIDTH - bx - bw):
            c.roundRect(left, by, bw, bh, min(bw, bh) / 3, stroke=1, fill=1)
    if view is BodyView.BACK:
        c.line(100, 84, 100, 200)  # spine, so the back view is told apart at a glance
    c.setStrokeColor(MARK)
    for limb in tourniquets if view is BodyView.FRONT else ():
        arm = limb in (Limb.RIGHT_ARM, Limb.LEFT_ARM)
        left = limb in (Limb.RIGHT_ARM, Limb.RIGHT_LEG)  # his right: viewer's left (front)
        bx, _, bw, _ = _HALF[0] if arm else _HALF[3]
        start = bx if left else WIDTH - bx - bw
        c.setLineWidth(9)
        c.line(start - 6, _TOURNIQUET_Y[limb], start + bw + 6, _TOURNIQUET_Y[limb])
    c.setLineWidth(5)
    for injury in injuries:
        point = injury_point(injury, view)
        if point is None:
            continue
        px, py = point
        c.line(px - 11, py - 11, px + 11, py + 11)
        c.line(px - 11, py + 11, px + 11, py - 11)
    c.restoreState()
    c.setStrokeColor(black)
