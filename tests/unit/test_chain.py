"""The hash chain and its verification, on made-up stored events (no store)."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from eventsourcing.utils import get_topic

from domain.acceptance import Acceptance
from domain.chain import (
    ACCEPTED_TOPIC,
    GENESIS,
    PUBLISHED_TOPIC,
    Chain,
    StoredFact,
    audit_key,
    key_id,
    link_pieces,
    normal_code,
    periods_ended,
    publication_label,
    short_code,
)
from domain.publications import Publication
from domain.verification import in_chain_order, verify

UTC = timezone.utc
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # Friday 20 November, 09:00 in Shanghai


def fact(n: int, at: datetime = START, topic: str = "domain.project:Project.VisitLogged",
         originator: str = "p", data: str = "x") -> StoredFact:
    state = json.dumps({"timestamp": {"_type_": "datetime_iso", "_data_": at.isoformat()},
                        "data": data}).encode()
    return StoredFact(notification_id=n, originator_id=f"{originator}{n}", originator_version=n,
                      topic=topic, state=state)


def chained(facts, key=None):
    """The links and seals of facts, linked in order from an empty chain."""
    chain, links, seals = Chain(key=key), [], []
    for f in facts:
        link, fallen = chain.link(f)
        links.append(link)
        seals += fallen
    return links, seals


def test_a_link_covers_the_event_and_the_previous_link_but_not_the_notification_id():
    first, second = fact(1), fact(2)
    links, _ = chained([first, second])
    assert links[0].hash != links[1].hash and len(links[1].hash) == 64
    renumbered, _ = chained([replace(first, notification_id=71), replace(second,
                                                                         notification_id=99)])
    assert [link.hash for link in renumbered] == [link.hash for link in links]
    for changed in (replace(second, originator_id="q2"), replace(second, originator_version=3),
                    replace(second, topic="other:Topic"), fact(2, data="y"),
                    fact(2, at=START + timedelta(microseconds=1))):
        assert chained([first, changed])[0][1].hash != links[1].hash, changed


def test_linking_in_batches_from_a_stored_tail_gives_the_same_chain():
    facts = [fact(n, START + timedelta(hours=13 * n)) for n in range(1, 40)]
    whole, whole_seals = chained(facts)
    chain, seals = Chain.after(None), []
    for start in range(0, len(facts), 7):
        chain = Chain.after(whole[start - 1] if start else None)
        for f in facts[start:start + 7]:
            seals += chain.link(f)[1]
    assert chain.head.hex() == whole[-1].hash
    assert seals == whole_seals


def test_short_codes_are_four_groups_of_four_base32_characters_and_read_back_as_typed():
    code = short_code("ab" * 32)
    assert len(code) == 19 and code.count("-") == 3
    assert set(code.replace("-", "")) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert normal_code(code.lower().replace("-", " ")) == code
    assert short_code(GENESIS) == "AAAA-AAAA-AAAA-AAAA"


def test_the_published_and_accepted_topics_are_their_event_classes():
    assert PUBLISHED_TOPIC == get_topic(Publication.Published)
    assert ACCEPTED_TOPIC == get_topic(Acceptance.Accepted)


def test_periods_end_at_midnight_in_shanghai():
    sunday_evening = datetime(2026, 11, 29, 15, 59, tzinfo=UTC)  # 23:59 Sunday in Shanghai
    monday = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # 00:00 Monday 30 November
    assert periods_ended(START + timedelta(days=7), sunday_evening) == []
    assert [p.id for p in periods_ended(sunday_evening, monday)] == ["2026-W48"]
    december = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 00:00 Tuesday 1 December
    assert [(p.cadence, p.id) for p in periods_ended(monday, december)] == [
        ("half-monthly", "2026-11-H2"), ("monthly", "2026-11")]


def test_seals_fall_before_the_first_event_recorded_after_a_period_end():
    week_end = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    january = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
    facts = [fact(1), fact(2, START + timedelta(hours=1)), fact(3, week_end),
             fact(4, week_end - timedelta(seconds=1)),  # committed later, recorded earlier
             fact(5, january, topic=PUBLISHED_TOPIC)]
    links, seals = chained(facts)
    by_label = {seal.label: seal for seal in seals}
    assert by_label["weekly/2026-W48"].position == 2
    assert by_label["weekly/2026-W48"].head == links[1].hash
    assert by_label["weekly/2026-W48"].sealed_at == week_end.isoformat()
    # Everything ended between 30 November and 1 January falls before the fifth event (not
    # 2026-W53, which runs to 3 January).
    assert {"half-monthly/2026-11-H2", "monthly/2026-11", "weekly/2026-W52",
            "monthly/2026-12", "quarterly/2026-Q4"} <= set(by_label)
    assert by_label["quarterly/2026-Q4"].position == 4
    publication = by_label[publication_label("p5", 5)]
    assert (publication.kind, publication.position, publication.head) == (
        "publication", 4, links[3].hash)
    assert len(by_label) == len(seals)  # each falls once


# ---- verification ------------------------------------------------------------------------------

FACTS = [fact(n, START + timedelta(hours=11 * n)) for n in range(1, 13)]  # over a weekend
LINKS, SEALS = chained(FACTS)


def test_an_untouched_record_verifies_with_its_head_and_seals():
    verdict = verify(LINKS, FACTS, SEALS)
    assert verdict.intact, verdict.finding
    assert (verdict.linked, verdict.unlinked, verdict.head) == (12, [], LINKS[-1].hash)
    assert verdict.seals == len(SEALS) > 0


def test_events_after_the_last_link_are_unlinked_and_the_record_not_intact():
    verdict = verify(LINKS[:9], FACTS, [s for s in SEALS if s.position < 9])
    assert verdict.finding is None and not verdict.intact and verdict.linked == 9
    assert [(u.kind, u.position, u.originator_id, u.originator_version)
            for u in verdict.unlinked] == [("unlinked", n, f"p{n}", n) for n in (10, 11, 12)]
    assert verdict.unlinked[0].digest == FACTS[9].digest.hex()


def test_an_unlinked_event_among_linked_ones_is_named_and_everything_after_it_checked():
    """A forged row appended, then the application's next writes linked after the chain's last
    link: the forged row is named, the rest verifies."""
    forged = fact(5, originator="forged")
    others = [f for f in FACTS if f.notification_id != 5]
    links, seals = chained(others)
    verdict = verify(links, others[:4] + [forged] + others[4:], seals)
    assert verdict.finding is None and verdict.linked == 11
    assert [(u.position, u.originator_id) for u in verdict.unlinked] == [(5, "forged5")]
    changed = others[:6] + [replace(others[6], state=b"{}")] + others[7:]
    finding = verify(links, others[:4] + [forged] + changed[4:], seals).finding
    assert (finding.kind, finding.originator_id) == ("changed", changed[6].originator_id)


def decision(n: int, *accepted: StoredFact) -> StoredFact:
    state = json.dumps({"timestamp": {"_type_": "datetime_iso", "_data_": START.isoformat()},
                        "actor": "cli:admin", "reason": "ours", "accepted": [
                            {"position": f.notification_id, "digest": f.digest.hex(),
                             "originator_id": f.originator_id} for f in accepted]}).encode()
    return StoredFact(n, f"decision{n}", 1, ACCEPTED_TOPIC, state)


def test_an_event_accepted_late_is_linked_after_the_others_with_its_decision():
    late = fact(5, originator="forged")
    others = [f for f in FACTS if f.notification_id != 5]
    log = others[:4] + [late] + others[4:] + [decision(13, late)]
    links, seals = chained(others + [late, log[-1]])
    verdict = verify(links, log, seals)
    assert verdict.intact, (verdict.finding, verdict.unlinked)
    assert [(a.kind, a.position, a.originator_id) for a in verdict.accepted] == [
        ("accepted", 5, "forged5")]
    assert "decision at position 13 (cli:admin: ours)" in verdict.accepted[0].detail
    assert [(link.position, fact.originator_id, position)
            for link, fact, position in in_chain_order(links, log)][11:] == [
        (12, "forged5", 5), (13, "decision13", 13)]
    undecided = others[:4] + [late] + others[4:] + [fact(13)]
    links, seals = chained(others + [late, fact(13)])
    finding = verify(links, undecided, seals).finding
    assert (finding.kind, finding.position) == ("unrecorded acceptance", 12)


KEY = bytes(range(32))


def test_a_keyed_chain_verifies_with_its_key_only():
    links, seals = chained(FACTS, key=KEY)
    assert {link.key_id for link in links} == {key_id(KEY)}
    assert links[-1].hash != LINKS[-1].hash and verify(links, FACTS, seals, key=KEY).intact
    for key in (None, bytes(32)):
        assert verify(links, FACTS, seals, key=key).finding.kind == "link altered"
    forged, _ = chained(FACTS + [fact(13)])  # extended with a plain SHA-256 link
    finding = verify(links + forged[-1:], FACTS + [fact(13)], seals, key=KEY).finding
    assert (finding.kind, finding.position) == ("link altered", 13)
    guessed = replace(forged[-1], key_id=key_id(KEY))  # claiming the key does not help
    finding = verify(links + [guessed], FACTS + [fact(13)], seals, key=KEY).finding
    assert (finding.kind, finding.position) == ("link altered", 13)


def test_an_audit_key_is_base64_of_at_least_16_bytes():
    assert audit_key(None) is None and audit_key("") is None
    assert audit_key("AAECAwQFBgcICQoLDA0ODw==") == bytes(range(16))
    for bad in ("c2hvcnQ=", "not base64!"):
        with pytest.raises(ValueError, match="AUDIT_KEY"):
            audit_key(bad)
    assert len(key_id(KEY)) == 16 and key_id(KEY) != key_id(bytes(32))


@pytest.mark.parametrize("seed", range(30))
def test_every_single_change_is_named_at_its_position(seed):
    rng = random.Random(seed)
    events = list(FACTS)
    kind = rng.choice(["changed", "deleted", "inserted", "swapped"])
    j = rng.randrange(len(events) - 1) if kind == "swapped" else rng.randrange(len(events))
    if kind == "changed":
        state = bytearray(events[j].state)
        state[rng.randrange(len(state))] ^= 1 << rng.randrange(8)
        events[j] = replace(events[j], state=bytes(state))
    elif kind == "deleted":
        del events[j]
    elif kind == "inserted":
        events.insert(j, fact(99, START, originator="forged"))
    else:
        k = rng.randrange(j + 1, len(events))
        events[j], events[k] = events[k], events[j]
    finding = verify(LINKS, events, SEALS).finding
    assert finding is not None and (finding.kind, finding.position) == (kind, j + 1), finding


def test_an_adjacent_swap_is_a_swap_and_a_move_is_a_reordering():
    swapped = FACTS[:3] + [FACTS[4], FACTS[3]] + FACTS[5:]
    assert verify(LINKS, swapped, SEALS).finding.kind == "swapped"
    moved = FACTS[:3] + FACTS[4:8] + [FACTS[3]] + FACTS[8:]
    finding = verify(LINKS, moved, SEALS).finding
    assert (finding.kind, finding.position) == ("reordered", 4)


def test_the_last_event_deleted_and_an_undecryptable_event():
    finding = verify(LINKS, FACTS[:-1], SEALS).finding
    assert (finding.kind, finding.position, finding.notification_id) == ("deleted", 12, 12)
    broken = FACTS[:5] + [replace(FACTS[5], state=None, raw=b"\x00garbled")] + FACTS[6:]
    finding = verify(LINKS, broken, SEALS).finding
    assert (finding.kind, finding.position) == ("changed", 6)
    assert "cannot be decrypted" in finding.detail


def test_a_changed_link_or_seal_is_named():
    links = list(LINKS)
    links[4] = replace(links[4], hash="0" * 64)
    assert verify(links, FACTS, SEALS).finding.kind == "link altered"
    seals = [replace(SEALS[0], head="1" * 64)] + SEALS[1:]
    assert verify(LINKS, FACTS, seals).finding.kind == "seal changed"
    assert verify(LINKS, FACTS, SEALS[1:]).finding.kind == "seal missing"
    forged = replace(SEALS[0], label="weekly/2020-W01")
    assert verify(LINKS, FACTS, SEALS + [forged]).finding.kind == "seal not derivable"


def test_a_head_written_down_is_found_in_full_or_as_its_short_code():
    verdict = verify(LINKS, FACTS, SEALS, expected_head=LINKS[6].hash)
    assert verdict.intact and verdict.head_found_at == 7
    code = short_code(LINKS[2].hash).lower().replace("-", "")
    assert verify(LINKS, FACTS, SEALS, expected_head=code).head_found_at == 3
    assert verify(LINKS, FACTS, SEALS, expected_head="f" * 64).finding.kind == "head not found"


def test_a_links_pieces_finished_with_sha256_give_the_chains_hash():
    """What a database finishes with its own SHA-256 (domain.ledger_postgres) is the link the
    chain makes."""
    rng = random.Random(7)
    fact = StoredFact(notification_id=1, originator_id="p", originator_version=1,
                      topic="t", state=b"{}")
    chain = Chain(head=rng.randbytes(32))
    head = chain.head
    link, _ = chain.link(fact)
    before, after = link_pieces(fact.digest)
    assert hashlib.sha256(before + head + after).hexdigest() == link.hash
