"""What a tuning searches: each parameter's values, checked against the method's
``Param`` table before any training, and the tokenized corpora to train on.

``window=2,5,10`` lists values (a grid axis, or a choice for the sampler);
``dim=50:500`` and ``alpha=0.005:0.1:log`` give ranges the sampler draws
from (trials only).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError, UnknownNameError
from koembed.trainers.base import Param, Trainer

# Parameters whose values change which co-occurrences are counted: a grid
# varies them slowest, so that trials counting alike follow one another.
COUNT_KEYS = ("window", "min_count")
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@dataclass(frozen=True)
class Axis:
    """One searched parameter: its listed ``values``, or a ``low``..``high`` range."""

    name: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    log: bool = False
    integer: bool = False

    @property
    def is_range(self) -> bool:
        return self.low is not None


@dataclass
class SearchSpace:
    """The axes searched, the values fixed for every trial, and the corpora."""

    method: str
    axes: list[Axis]
    fixed: dict[str, Any] = field(default_factory=dict)
    corpora: list[Path] = field(default_factory=list)

    @property
    def has_ranges(self) -> bool:
        return any(axis.is_range for axis in self.axes)

    def grid(self) -> Iterator[tuple[Path, dict[str, Any]]]:
        """Every combination: (corpus, parameters), counting keys varying slowest.

        Raises:
            BadInputError: an axis is a range (a grid needs listed values).
        """
        if self.has_ranges:
            ranged = [axis.name for axis in self.axes if axis.is_range]
            raise BadInputError(
                f"a grid needs listed values, but {', '.join(ranged)} is a range; "
                f"list values (window=2,5,10) or give trials",
                parameters=("trials",),
            )
        axes = sorted(self.axes, key=lambda axis: axis.name not in COUNT_KEYS)
        for corpus in self.corpora:
            for values in itertools.product(*(axis.values for axis in axes)):
                yield corpus, {**self.fixed, **dict(zip((a.name for a in axes), values))}

    def size(self) -> int:
        count = len(self.corpora)
        for axis in self.axes:
            count *= len(axis.values) if not axis.is_range else 0
        return count


def parse_space(
    trainer: Trainer,
    grid: Sequence[str],
    fixed: Sequence[str] = (),
    corpora: Sequence[str | Path] = (),
) -> SearchSpace:
    """``["window=2,5", "dim=100:300"]`` and ``["epochs=5"]`` -> a checked space.

    Raises:
        UnknownNameError: a parameter the method does not have.
        BadInputError: a malformed spec, or a value the parameter refuses.
    """
    axes = [_said_where("grid", spec, _axis, trainer.params, spec) for spec in grid]
    names = [axis.name for axis in axes]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise BadInputError(
            f"{', '.join(twice)} is searched twice; give each parameter once", parameters=("grid",)
        )
    settled = {}
    for spec in fixed:
        name, values = _split(trainer.params, spec, "fixed")
        if len(values) != 1 or ":" in values[0]:
            raise BadInputError(
                f"fixed {spec!r} must give one value (epochs=5)", parameters=("fixed",)
            )
        settled[name] = _said_where("fixed", spec, _value, trainer.params[name], name, values[0])
    both = sorted(set(settled) & set(names))
    if both:
        raise BadInputError(
            f"{', '.join(both)} is both searched and fixed; give it once", parameters=("fixed",)
        )
    if not corpora:
        raise BadInputError("give at least one tokenized corpus", parameters=("corpora",))
    paths = [Path(corpus) for corpus in corpora]
    for path in paths:
        if not path.is_file():
            raise BadInputError(
                f"corpus {path} does not exist or is not a file; give a "
                f"tokenized corpus from 'koembed tokenize'",
                parameters=("corpora",),
            )
    return SearchSpace(trainer.method, axes, settled, paths)


def _said_where(option: str, spec: str, parse: Any, *args: Any) -> Any:
    """``parse(*args)``, its refusal saying which spec of which option it came from."""
    try:
        return parse(*args)
    except UnknownNameError:
        raise
    except BadInputError as error:
        if str(error).startswith(option):
            raise
        raise BadInputError(f"{option} {spec!r}: {error}", parameters=(option,)) from None


def _split(params: Mapping[str, Param], spec: str, what: str) -> tuple[str, list[str]]:
    name, equals, values = spec.partition("=")
    name = name.strip().lstrip("-").replace("-", "_")
    if not equals or not name or not values.strip():
        raise BadInputError(
            f"{what} {spec!r} is not NAME=VALUES (e.g. window=2,5,10)", parameters=(what,)
        )
    if name not in params:
        raise UnknownNameError("parameter", name, params)
    return name, [value.strip() for value in values.split(",")]


def _axis(params: Mapping[str, Param], spec: str) -> Axis:
    name, values = _split(params, spec, "grid")
    param = params[name]
    if len(values) == 1 and ":" in values[0]:
        parts = values[0].split(":")
        if (
            param.kind not in (int, float)
            or len(parts) not in (2, 3)
            or (len(parts) == 3 and parts[2] != "log")
        ):
            raise BadInputError(
                f"grid {spec!r}: a range is LOW:HIGH or LOW:HIGH:log, for a number parameter",
                parameters=("grid",),
            )
        low, high = (_value(param, name, part) for part in parts[:2])
        if low >= high or (len(parts) == 3 and low <= 0):
            raise BadInputError(
                f"grid {spec!r}: LOW must be below HIGH (and above 0 for log)", parameters=("grid",)
            )
        return Axis(name, low=low, high=high, log=len(parts) == 3, integer=param.kind is int)
    checked = tuple(dict.fromkeys(_value(param, name, value) for value in values))
    return Axis(name, values=checked, integer=param.kind is int)


def _value(param: Param, name: str, text: str) -> Any:
    """``text`` as the parameter's type, checked against its bounds."""
    try:
        if param.allow_none and text.lower() == "none":
            value: Any = None
        elif param.kind is bool:
            if text.lower() not in _TRUE + _FALSE:
                raise ValueError
            value = text.lower() in _TRUE
        else:
            value = param.kind(text)
    except ValueError:
        raise BadInputError(
            f"{name}={text!r} is not a {param.kind.__name__}", parameters=(name,)
        ) from None
    return param.check(name, value)
