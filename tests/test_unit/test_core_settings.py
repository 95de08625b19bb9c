"""Settings objects read from and written to plain nested tables."""

from __future__ import annotations

import dataclasses
import json

import pytest

from posture.core.settings import plain, settings_from_dict


@dataclasses.dataclass(frozen=True)
class Inner:
    limit: float = 1.5
    count: int = 3
    band: tuple[float, float] = (0.5, 2.0)


@dataclasses.dataclass(frozen=True)
class Outer:
    name: str = "default"
    strict: bool = False
    inner: Inner = Inner()


def test_an_empty_table_gives_the_defaults():
    assert settings_from_dict(Outer, {}, "gait.settings") == Outer()


def test_missing_keys_keep_their_defaults_and_nested_tables_fill_nested_settings():
    got = settings_from_dict(Outer, {"strict": True, "inner": {"count": 7}}, "s")
    assert got == Outer(strict=True, inner=Inner(count=7))


def test_an_int_given_for_a_float_becomes_a_float_and_lists_become_tuples():
    got = settings_from_dict(Outer, {"inner": {"limit": 2, "band": [1, 3]}}, "s")
    assert got.inner.limit == 2.0 and isinstance(got.inner.limit, float)
    assert got.inner.band == (1.0, 3.0) and all(isinstance(v, float) for v in got.inner.band)


def test_plain_round_trips_a_settings_object_through_json():
    settings = Outer(name="x", inner=Inner(band=(0.1, 0.2)))
    table = plain(dataclasses.asdict(settings))
    assert table == {"name": "x", "strict": False, "inner": {"limit": 1.5, "count": 3, "band": [0.1, 0.2]}}
    assert settings_from_dict(Outer, json.loads(json.dumps(table)), "s") == settings


def test_plain_turns_nested_tuples_into_lists_and_keeps_scalars():
    assert plain({"a": ((1, 2), [3, (4,)]), "b": None, "c": "t"}) == {
        "a": [[1, 2], [3, [4]]],
        "b": None,
        "c": "t",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nmae": "x"}, "s: unknown setting 'nmae'; known: inner, name, strict"),
        ({"inner": {"limt": 1.0}}, "s.inner: unknown setting 'limt'; known: band, count, limit"),
        ({"inner": 3}, "s.inner: expected a table, got int"),
        ({"strict": 1}, "s.strict: expected bool, got 1"),
        ({"name": 5}, "s.name: expected str, got 5"),
        ({"inner": {"count": 2.5}}, "s.inner.count: expected int, got 2.5"),
        ({"inner": {"count": True}}, "s.inner.count: expected int, got True"),
        ({"inner": {"limit": True}}, "s.inner.limit: expected float, got True"),
        ({"inner": {"limit": "1"}}, "s.inner.limit: expected float, got '1'"),
        ({"inner": {"band": [1.0]}}, "s.inner.band: expected a list of 2 numbers, got [1.0]"),
        ({"inner": {"band": 1.0}}, "s.inner.band: expected a list of 2 numbers, got 1.0"),
    ],
)
def test_a_wrong_key_or_kind_is_refused_naming_its_path(data, message):
    with pytest.raises(ValueError) as info:
        settings_from_dict(Outer, data, "s")
    assert str(info.value) == message


def test_a_non_table_at_the_top_is_refused():
    with pytest.raises(ValueError, match=r"^top: expected a table, got list$"):
        settings_from_dict(Outer, [], "top")
