"""The digest's deliveries are retried with a doubling backoff, then given up."""

from __future__ import annotations

import pytest

from app.digest import DeliveryFailed, with_retries


def test_a_delivery_is_retried_with_a_doubling_backoff_until_it_succeeds():
    waits, calls = [], []

    def send():
        calls.append(1)
        if len(calls) < 3:
            raise DeliveryFailed("busy")

    assert with_retries(send, attempts=4, backoff=0.5, sleep=waits.append) == 3
    assert waits == [0.5, 1.0]


def test_a_delivery_that_keeps_failing_is_given_up_after_its_attempts():
    waits = []

    def send():
        raise DeliveryFailed("down")

    with pytest.raises(DeliveryFailed):
        with_retries(send, attempts=3, backoff=1, sleep=waits.append)
    assert waits == [1, 2]
