"""Moments typed in county time, and version numbers, as the audit pages read them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.web.moments import local_input, parse_moment, parse_version


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_a_county_time_to_the_second_holds_that_whole_second():
    assert parse_moment("2026-11-25T10:30:15") == utc(2026, 11, 25, 2, 30, 15, 999_999)
    assert parse_moment("2026-11-25 10:30") == utc(2026, 11, 25, 2, 30, 0, 999_999)


def test_a_county_time_with_a_fraction_is_taken_exactly():
    assert parse_moment("2026-11-25T10:30:15.250") == utc(2026, 11, 25, 2, 30, 15, 250_000)


def test_the_typed_moment_itself_when_the_whole_second_is_not_wanted():
    assert parse_moment("2026-11-25T10:30:15", through_second=False) == utc(
        2026, 11, 25, 2, 30, 15)


def test_an_explicit_offset_is_respected():
    assert parse_moment("2026-11-25T02:30:15.5Z") == utc(2026, 11, 25, 2, 30, 15, 500_000)
    assert parse_moment("2026-11-25T10:30:15+08:00") == utc(2026, 11, 25, 2, 30, 15, 999_999)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-11-25", "2026-11-25T25:00",
                                  "2026-02-30T10:00", "２０２６-11-25T10:00", "2026-W48",
                                  "2026-11-25T10:00:00.1234567", None])
def test_anything_else_names_no_moment(text):
    assert parse_moment(text) is None


def test_local_input_shows_county_time_to_the_second_for_a_datetime_local_field():
    assert local_input(utc(2026, 11, 25, 2, 30, 15, 400_000)) == "2026-11-25T10:30:15"
    assert local_input(None) == ""


@pytest.mark.parametrize("text, version", [("1", 1), (" 12 ", 12), ("0", 0), ("x", None),
                                           ("1.0", None), ("-1", None), ("", None),
                                           ("１", None)])
def test_versions_are_plain_digits(text, version):
    assert parse_version(text) == version
