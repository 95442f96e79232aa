"""The node's links to the other nodes, for the coordinator's and facility's views (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, status

from goldenhour.api.deps import PrincipalDep, StateDep
from goldenhour.api.errors import UNAUTHORISED, Responses, refusal
from goldenhour.api.schemas import NodeLinksPublic, PeerLinkPublic
from goldenhour.services.nodes.links import NotALinkReader, read_links

router = APIRouter(prefix="/api/v1/nodes", tags=["nodes"])

_RESPONSES: Responses = {
    401: UNAUTHORISED,
    403: refusal(
        "The caller's role has no view of the links: coordinators, facilities and "
        "administrators have",
        {"A medic or analyst": ("role", NotALinkReader().reason)},
    ),
}


@router.get("/links", response_model=NodeLinksPublic, responses=_RESPONSES)
def get_links(state: StateDep, principal: PrincipalDep) -> NodeLinksPublic:
    """Return whether each link to another node is up, its last contact and its data's age.

    On a forward node the one link is to the rear; on the rear, one per forward node. While a
    link is down, what this server shows from that node is `data_age_seconds` old. The read
    is audited; a server that is no node answers `node: null` and no links.
    """
    try:
        links = read_links(state.node_links, state.audits, principal, now=datetime.now(UTC))
    except NotALinkReader as refused:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=[{"field": refused.field, "reason": refused.reason}],
        ) from refused
    return NodeLinksPublic(
        node=links.node, role=links.role.value if links.role else None, nats_up=links.nats_up,
        checked_at=links.checked_at,
        peers=[
            PeerLinkPublic(
                node=p.node, link_up=p.link_up, last_contact=p.last_contact,
                data_age_seconds=p.data_age_seconds, events_waiting=p.events_waiting,
            )  # fmt: skip
            for p in links.peers
        ],
    )  # fmt: skip
