"""The nats-server configuration a node writes: authenticated leaf links, no advertising."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from goldenhour.adapters.nats.config import LeafCredentials, NatsConfig, TlsFiles, render
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.nodes import check_node_name, stream_name

HUB = NatsConfig(
    name="rear", store_dir=Path("js"), client_port=4222, monitor_port=8222,
    leaf_listen=("0.0.0.0", 7422),
    forward_nodes=(LeafCredentials(user="fwd1", password="p@ss word"),),
)  # fmt: skip
LEAF = NatsConfig(
    name="fwd1", store_dir=Path("js"), client_port=4222, monitor_port=8222,
    hub_url="rear.example:7422", credentials=LeafCredentials(user="fwd1", password="p@ss/word"),
)  # fmt: skip


def test_the_hub_leaf_listener_does_not_advertise_and_requires_a_password() -> None:
    """Without no_advertise a leaf learns the hub's other addresses and goes around a relay."""
    text = render(HUB)
    assert "no_advertise: true" in text
    assert 'authorization { users = [{user: "fwd1", password: "p@ss word"}] }' in text
    assert 'domain: "rear"' in text


def test_a_leaf_puts_its_credentials_in_the_url_escaped() -> None:
    """A password with URL characters still reaches the hub as it is."""
    assert 'url: "nats-leaf://fwd1:p%40ss%2Fword@rear.example:7422"' in render(LEAF)
    assert 'reconnect: "1s"' in render(LEAF)


def test_tls_on_the_leaf_link_when_files_are_given() -> None:
    """The hub verifies the leaf's certificate; the leaf dials tls://."""
    files = TlsFiles(cert_file=Path("c.pem"), key_file=Path("k.pem"), ca_file=Path("ca.pem"))
    hub = render(replace(HUB, tls=files))
    leaf = render(replace(LEAF, tls=files))
    assert 'tls {cert_file: "c.pem", key_file: "k.pem", ca_file: "ca.pem", verify: true}' in hub
    assert 'url: "tls://fwd1:' in leaf


@pytest.mark.parametrize("name", ["", "Fwd1", "fwd.1", "fwd 1", "1fwd", "a" * 33, "fwd>"])
def test_a_node_name_that_cannot_be_a_subject_or_domain_is_refused(name: str) -> None:
    """Node names go into subjects and domains: dots, spaces, wildcards are refused."""
    with pytest.raises(ValidationError) as refused:
        check_node_name(name)
    assert refused.value.field == "name"


def test_a_node_stream_is_named_after_the_node() -> None:
    """One stream per node, its name from the node's."""
    assert stream_name(check_node_name("stab-point-2")) == "GH_STAB_POINT_2"
