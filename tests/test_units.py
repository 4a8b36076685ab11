"""psetbench's units: the traps plain pint falls into, and how quantities are read."""

from __future__ import annotations

import pint
import pytest

from psetbench.checks import (
    UnitError,
    check_unit,
    parse_quantity,
    reference_quantity,
    unit_registry,
)


def q(text: str) -> pint.Quantity:
    return parse_quantity(text)


def same(a: pint.Quantity, b: pint.Quantity) -> bool:
    return a.dimensionality == b.dimensionality and a.to(b.units).magnitude == pytest.approx(
        b.magnitude, rel=1e-9)


def test_registry_is_built_once() -> None:
    assert unit_registry() is unit_registry()


def test_bytes_have_their_own_dimension() -> None:
    two_tb = q("2 TB")
    assert str(two_tb.dimensionality) == "[information]"
    assert not two_tb.dimensionless
    # plain pint makes this true (bits are dimensionless); here they never compare
    with pytest.raises(pint.DimensionalityError):
        two_tb.to("dimensionless")


def test_terabit_is_not_terabyte() -> None:
    assert not same(q("2 Tb"), q("2 TB"))
    assert same(q("2 Tb"), q("0.25 TB"))
    assert str(q("1 Tb").dimensionality) == "[information]"  # not a terabarn (an area)


@pytest.mark.parametrize(("text", "bits"), [
    ("1 KB", 8_000), ("1 kB", 8_000), ("1 KiB", 8_192), ("1 MB", 8e6), ("1 GiB", 8 * 2**30),
    ("1 b", 1), ("1 B", 8), ("1 Gb", 1e9), ("1 Gbit", 1e9), ("3 bytes", 24), ("1 terabyte", 8e12),
    ("1 gibibyte", 8 * 2**30), ("1 PB", 8e15),
])
def test_storage_symbols(text: str, bits: float) -> None:
    assert q(text).to("bit").magnitude == pytest.approx(bits)


def test_decimal_and_binary_prefixes_differ() -> None:
    assert q("1 TiB").to("TB").magnitude == pytest.approx(1.099511627776)


@pytest.mark.parametrize("text", [
    "1.98 PFLOP/s", "1.98 PFLOPS", "1.98 petaFLOP/s", "1980 TFLOP/s", "1.98e15 FLOP/s",
])
def test_flop_rates(text: str) -> None:
    assert same(q(text), q("1.98e15 FLOP/s"))


def test_flop_counts_have_their_own_dimension() -> None:
    assert str(q("1e30 FLOP").dimensionality) == "[flop]"
    assert same(q("3 EFLOP"), q("3e18 FLOP"))
    assert same(q("2 GFLOP"), q("2e9 FLOP"))
    assert not q("1e30 FLOP").dimensionless


def test_flops_in_a_reference_is_a_count() -> None:
    # the answer side reads "FLOPs" either way (see test_checks); a reference must be exact
    assert str(q("312 TFLOPs").dimensionality) == "[flop]"
    assert str(q("312 TFLOPS").dimensionality) == "[flop] / [time]"


@pytest.mark.parametrize("text", ["1 petaflop/s-day", "1 petaFLOP/s-day", "1 petaFLOP-day",
                                  "1 pfs-day"])
def test_petaflop_days(text: str) -> None:
    assert same(q(text), q("8.64e19 FLOP"))


def test_money() -> None:
    assert same(q("$1.50/hour"), q("1.5 USD/hour"))
    assert same(q("2 dollars per hour"), q("2 USD/hour"))
    assert same(q("50 cents"), q("0.5 USD"))
    assert same(q("$2M"), q("2e6 USD"))
    assert same(q(r"\$3 per 1M tokens"), q("3e-6 USD/token"))
    assert same(q("$3 per million tokens"), q("3e-6 USD/token"))


def test_hyphenated_compounds_are_products() -> None:
    assert same(q("1000 GPU-hours"), reference_quantity(1000, "GPU*hour"))
    assert same(q("1 GPU-hour"), q("3600 GPU*second"))
    assert str(q("3 GPU-days").dimensionality) == "[gpu] * [time]"


def test_counts_are_separate_dimensions() -> None:
    with pytest.raises(pint.DimensionalityError):
        q("1 token").to("parameter")
    with pytest.raises(pint.DimensionalityError):
        q("1 GPU").to("dimensionless")
    assert same(q("25 GPUs"), reference_quantity(25, "GPU"))
    assert same(q("7 params"), q("7 parameters"))


@pytest.mark.parametrize(("text", "expected"), [
    ("200 billion tokens", "2e11 token"),
    ("1.5T tokens", "1.5e12 token"),
    ("70B parameters", "7e10 parameter"),
    ("1 trillion", "1e12"),
    ("3 thousand GPUs", "3000 GPU"),
    ("2 quadrillion FLOP", "2e15 FLOP"),
    ("5%", "0.05"),
    ("10k tokens", "1e4 token"),
])
def test_number_words(text: str, expected: str) -> None:
    assert same(q(text), q(expected))


@pytest.mark.parametrize(("text", "expected"), [
    (r"1.7 \times 10^{15}\text{ FLOP}", "1.7e15 FLOP"),
    (r"1.7\times10^{15}~\mathrm{FLOP}", "1.7e15 FLOP"),
    (r"10^{24}", "1e24"),
    (r"2\,\mathrm{GB}", "2 GB"),
    (r"2{,}000\text{ GB}", "2000 GB"),
    (r"1\,000 GB", "1000 GB"),
    (r"\$1.50/\text{hour}", "1.5 USD/hour"),
    ("2,000 GB", "2000 GB"),
    ("1.7 × 10¹⁵ FLOP", "1.7e15 FLOP"),
    ("6 · 10^23 FLOP", "6e23 FLOP"),
    ("−3.5", "-3.5"),
    ("1/4", "0.25"),
])
def test_latex_and_typography(text: str, expected: str) -> None:
    assert same(q(text), q(expected))


def test_time_conventions() -> None:
    assert same(q("1 year"), q("365.25 day"))
    assert same(q("12 months"), q("1 year"))
    assert same(q("1 hr"), q("3600 s"))


@pytest.mark.parametrize("text", ["2 TBB", "two TB", "", "TB", "2 TB of memory"])
def test_unreadable_quantities_raise_a_clear_value_error(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_quantity(text)
    assert isinstance(info.value, UnitError)
    message = str(info.value)
    assert repr(text) in message and "e.g." in message and "\n" not in message


def test_reference_quantity_forms() -> None:
    assert same(reference_quantity(2, "TB"), q("2 TB"))
    assert same(reference_quantity("2", "TB"), q("2 TB"))
    assert same(reference_quantity("1e30", "FLOP"), q("1e30 FLOP"))
    assert same(reference_quantity(0.5, None), q("0.5"))
    assert same(reference_quantity("1.98 PFLOP/s", None), q("1.98e15 FLOP/s"))
    with pytest.raises(UnitError, match="already has a unit"):
        reference_quantity("2 TB", "GB")
    with pytest.raises(UnitError, match="fooB"):
        reference_quantity(2, "fooB")


@pytest.mark.parametrize("unit", ["TB", "Tb/s", "GPU*hour", "FLOP/s", "USD/hour", "$/hour",
                                  "token", "parameters", "petaFLOP/s-day", "kWh", "percent"])
def test_check_unit_accepts(unit: str) -> None:
    assert check_unit(unit) is None


@pytest.mark.parametrize("unit", ["fooB", "TB/banana", "", "GPU hour banana"])
def test_check_unit_rejects_with_a_hint(unit: str) -> None:
    message = check_unit(unit)
    assert message is not None
    assert repr(unit) in message and "'TB'" in message and "\n" not in message


# --- words that are not units, numbers as replies write them ------------------------------

@pytest.mark.parametrize("word", ["nats", "nat", "mat", "H100", "layers"])
def test_unknown_words_are_never_split_into_prefix_and_unit(word: str) -> None:
    # pint alone reads "nats" as nano-(technical atmosphere)s and "PF" as a petafarad
    with pytest.raises(UnitError):
        q(f"3 {word}")


def test_prefixes_still_work_on_units_that_take_them() -> None:
    assert same(q("5 ms"), q("0.005 s"))
    assert same(q("2 kWh"), q("2000 Wh"))
    assert str(q("3 pF").dimensionality) != str(q("3 PF").dimensionality)  # PF: petaFLOP


def test_pf_days_are_petaflop_days() -> None:
    assert same(q("3640 PF-days"), q("3640 petaFLOP/s-day"))


@pytest.mark.parametrize(("text", "value"), [
    ("2 500 GPU", 2500), ("2'500 GPU", 2500), ("2\u202f500 GPU", 2500), ("2,500 GPU", 2500),
    ("2,5 GPU", 2.5), ("0,0077 GPU", 0.0077), ("6 * 10**9 GPU", 6e9), ("6 bn GPU", 6e9),
    ("0.013/6 GPU", 0.013 / 6),
])
def test_numbers_as_replies_write_them(text: str, value: float) -> None:
    assert q(text).to("GPU").magnitude == pytest.approx(value)


def test_a_tuple_is_not_a_decimal_comma() -> None:
    from psetbench.checks._numbers import find_numbers

    assert [n.value for n in find_numbers("e_A = (1,0,0)")] == [1.0, 0.0, 0.0]
