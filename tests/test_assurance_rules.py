"""Sender assurance's small rules: alignment, hops, XFORWARD attributes, configuration, the command."""

from __future__ import annotations

import json
import sqlite3

import pytest

from archive.assurance.policy import OrgPolicy, SenderOrg
from bridge.assurance.alignment import aligned
from bridge.assurance.evaluate import Arrival, assess
from bridge.assurance.hops import Forwarded, networks, received_client, trace
from bridge.assurance.resolver import Resolver
from bridge.gateway.forwarding import attributes, merged
from kairan.cli import main
from kairan.config import ConfigError, settings_from_doc

ORG = ("pref.yamakawa.lg.jp",)


@pytest.mark.parametrize("signer, from_domain, expected", [
    ("pref.yamakawa.lg.jp", "pref.yamakawa.lg.jp", True),
    ("mail.pref.yamakawa.lg.jp", "pref.yamakawa.lg.jp", True),       # a subdomain signs for the org
    ("pref.yamakawa.lg.jp", "soumu.pref.yamakawa.lg.jp", True),      # the org signs for a subdomain
    ("lg.jp", "pref.yamakawa.lg.jp", False),                          # a parent that is not the org's
    ("yamakawa.lg.jp", "pref.yamakawa.lg.jp", False),
    ("evil-pref.yamakawa.lg.jp", "pref.yamakawa.lg.jp", False),
    ("", "pref.yamakawa.lg.jp", False),
])
def test_alignment_is_relaxed_within_the_organizations_registered_domains(signer, from_domain, expected):
    assert aligned(signer, from_domain, ORG) is expected


def test_a_received_header_names_its_client_only_in_the_from_clause():
    assert received_client("from mx1.example (mx1.example [192.0.2.7]) by mx.kairan (Postfix) with ESMTP") == "192.0.2.7"
    assert received_client("from x ([IPv6:2001:db8::5]) by y") == "2001:db8::5"
    assert received_client("from x (x) by y ([192.0.2.9]) for <a@b>") == ""        # the 'by' host is not the client
    assert received_client("garbage") == ""


def test_only_trusted_hops_move_the_client_and_a_forged_chain_stops_at_the_first_stranger():
    hops = networks(("127.0.0.1", "10.0.0.0/24"))
    chain = ["from relay (relay [10.0.0.5]) by postfix", "from org (org [192.0.2.7]) by relay",
             "from forged (forged [10.1.1.1]) by org"]
    path = trace("127.0.0.1", None, chain, hops)
    assert (path.client, path.via, path.hops) == ("192.0.2.7", "received", ("127.0.0.1", "10.0.0.5"))
    assert trace("203.0.113.1", Forwarded("192.0.2.7"), chain, hops).client == "203.0.113.1"
    assert trace("::ffff:127.0.0.1", Forwarded("192.0.2.8", "helo.example"), chain, hops).client == "192.0.2.8"


def test_xforward_attributes_are_xtext_decoded_and_unknown_values_dropped():
    assert attributes("NAME=relay.example ADDR=192.0.2.7 HELO=h+2Bx PORT=[UNAVAILABLE]") == {
        "NAME": "relay.example", "ADDR": "192.0.2.7", "HELO": "h+x"}
    assert attributes("ADDR") is None and attributes("") is None and attributes("A-B=1") is None
    first = merged(None, {"ADDR": "192.0.2.7"}, "xforward")
    assert merged(first, {"HELO": "h"}, "xforward") == Forwarded("192.0.2.7", "h", "xforward")


def test_the_configuration_reads_dns_and_assurance_and_refuses_a_wrong_hop(tmp_path):
    doc = {"domain": "k.test", "secret_key": "x", "base_url": "https://kairan.example/",
           "dns": {"resolvers": ["127.0.0.1:5353"], "timeout_seconds": 1.5},
           "assurance": {"trusted_hops": ["127.0.0.1", "10.0.0.0/24"], "authserv_ids": ["MX.LGWAN"]}}
    checks = settings_from_doc(tmp_path, doc).sender_checks
    assert checks.resolvers == ("127.0.0.1:5353",) and checks.dns_timeout == 1.5
    assert checks.trusted_hops == ("127.0.0.1", "10.0.0.0/24") and checks.authserv_ids == ("mx.lgwan",)
    assert checks.help_url == "https://kairan.example/help/sender"
    with pytest.raises(ConfigError, match="trusted_hops has 'postfix'"):
        settings_from_doc(tmp_path, doc | {"assurance": {"trusted_hops": ["postfix"]}})
    with pytest.raises(ConfigError, match="dns.resolvers must be a list"):
        settings_from_doc(tmp_path, doc | {"dns": {"resolvers": "127.0.0.1"}})


def run(capsys, data, *args: str) -> tuple[int, str, str]:
    """The command in this process (as `kairan ARGS --data DATA`): exit status, stdout, stderr."""
    status = main([*args, "--data", str(data)])
    out = capsys.readouterr()
    return status, out.out, out.err


def policy_log(data) -> list[tuple]:
    with sqlite3.connect(data / "kairan.db") as db:
        rows = db.execute("SELECT actor, target, detail FROM audit_log WHERE action = 'org.policy' ORDER BY id")
        return [(actor, target, json.loads(detail)["after"]) for actor, target, detail in rows]


def test_org_set_changes_what_it_is_given_audits_it_and_says_what_is_wrong(data_dir, capsys):
    assert run(capsys, data_dir, "org", "add", "aoba", "--name", "青葉市", "--mail-domain", "city.aoba.lg.jp")[0] == 0
    assert run(capsys, data_dir, "org", "set", "aoba", "--relay", "192.0.2.0/24", "--relay", "198.51.100.7",
               "--dkim", "expected") == (0, "organization aoba: relays 192.0.2.0/24, 198.51.100.7/32; dkim expected; "
                                            "assurance none\n", "")
    assert run(capsys, data_dir, "org", "set", "aoba", "--assurance", "require")[1] == (
        "organization aoba: relays 192.0.2.0/24, 198.51.100.7/32; dkim expected; assurance require\n")
    assert run(capsys, data_dir, "org", "set", "aoba", "--no-relays")[1].startswith("organization aoba: relays none;")
    for args, said in ((["--relay", "192.0.2.5/24"], "did you mean 192.0.2.0/24?"),
                       (["--relay", "1.2.3.4", "--no-relays"], "contradict"), ([], "nothing to set"),
                       (["--assurance", "strict"], "invalid choice"), (["--relay", "bogus"], "not an address")):
        status, _, err = run(capsys, data_dir, "org", "set", "aoba", *args)
        assert status == 1 and said in err and len(err.strip().splitlines()) == 1
    status, _, err = run(capsys, data_dir, "org", "set", "nowhere", "--assurance", "mark")
    assert status == 1 and "no organization 'nowhere'" in err
    relays = ["192.0.2.0/24", "198.51.100.7/32"]
    assert policy_log(data_dir) == [
        ("system", "org:aoba", {"relays": relays, "dkim": "expected", "assurance": "none"}),
        ("system", "org:aoba", {"relays": relays, "dkim": "expected", "assurance": "require"}),
        ("system", "org:aoba", {"relays": [], "dkim": "expected", "assurance": "require"})]
    assert run(capsys, data_dir, "audit", "verify")[0] == 0          # the chain holds with the new entries


def upstream_verdict(header: str, dkim: str, peer: str = "127.0.0.1"):
    sender = SenderOrg("aoba", "青葉市", ("city.aoba.lg.jp",), OrgPolicy(dkim=dkim, level="mark"))
    arrival = Arrival(b"", "suzuki@city.aoba.lg.jp", "suzuki@city.aoba.lg.jp",
                      trace(peer, None, [], networks(("127.0.0.1",))), (header,))
    return assess(arrival, sender, Resolver(()), ("mx.lgwan",))


def test_an_upstream_spf_pass_counts_only_where_dkim_is_not_expected():
    spf_only = "mx.lgwan; spf=pass smtp.mailfrom=suzuki@city.aoba.lg.jp"
    assert upstream_verdict(spf_only, "optional").method == "upstream"
    assert upstream_verdict(spf_only, "expected").method == "none"
    dkim_pass = "mx.lgwan; dkim=pass header.d=city.aoba.lg.jp"
    assert upstream_verdict(dkim_pass, "expected").method == "upstream"
    assert upstream_verdict(dkim_pass, "expected", peer="127.0.0.9").method == "none"      # not a trusted hop
    other = "mx.lgwan; dkim=pass header.d=other.example.jp; dmarc=pass header.from=other.example.jp"
    assert upstream_verdict(other, "optional").method == "none"                             # not aligned
