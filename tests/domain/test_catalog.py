"""The catalogues are consistent with each other: every reference resolves."""

from __future__ import annotations

import datetime as dt

from domain.catalog import catalog


def test_rates_name_existing_counts():
    cat = catalog()
    for ind in cat.indicators.values():
        if ind.kind == "rate":
            assert ind.numerator and ind.denominator, ind.id
            for part in (*ind.numerator, *ind.denominator):
                assert cat.indicators[part].kind == "count", (ind.id, part)
        if ind.weight:
            assert cat.indicators[ind.weight].kind == "count", ind.id
        assert ind.kind in ("count", "rate", "score")
        assert ind.better in ("higher", "lower", "")


def test_every_old_province_has_a_34_era_successor():
    cat = catalog()
    old = cat.provinces("63")
    new = cat.provinces("34")
    assert len(old) == 63 and len(new) == 34
    for u in old:
        succ = cat.units[u.successor_id]
        assert succ.era == "34" and succ.kind == "province", u.id
        assert u.valid_to == dt.date(2025, 6, 30)
    # every new province is made of at least one old one
    assert {u.successor_id for u in old} == {u.id for u in new}


def test_ministries_before_and_after_the_merger():
    cat = catalog()
    assert len(cat.ministries_on(dt.date(2025, 2, 28))) == 22
    assert len(cat.ministries_on(dt.date(2025, 3, 1))) == 17
    for u in cat.units.values():
        if u.kind == "ministry" and u.successor_id:
            assert cat.units[u.successor_id].valid_on(dt.date(2025, 3, 1)), u.id


def test_regions_sectors_and_targets_resolve():
    cat = catalog()
    for u in cat.units.values():
        if u.kind == "province":
            assert u.region in cat.regions, u.id
    for tg in cat.targets:
        assert tg.indicator in cat.indicators
        assert tg.op in (">=", "<=")
        assert tg.instrument
    for ind in cat.indicators.values():
        assert ind.area in cat.areas, ind.id
    assert len([a for a in cat.areas.values() if a.id != "chi_so"]) == 6
    for s in cat.sectors.values():
        assert s.aliases and s.name_vi in s.aliases


def test_successor_today_follows_chains():
    cat = catalog()
    assert cat.successor_today("VN63-83") == "VN34-86"  # Bến Tre → Vĩnh Long
    assert cat.successor_today("M-BTNMT") == "M-BNNMT"
    assert cat.successor_today("VN34-86") == "VN34-86"
