"""Score extracted mentions against a hand annotation (tests/annotations/seed_mentions.jsonl).

A figure counts as found only when its value, unit and qualifier are all right (个百分点 is
not 个; 突破 is not exact). Gold and extracted figures are paired within the same sentence:
first on the text as written, then, for what is left, on value and unit, so a figure whose
span or qualifier is wrong is still paired and counted as an error of that kind. Period,
base period, place and the flags are then compared on the figures found.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ATTRIBUTES = ("period", "base_period", "place", "is_change", "is_target", "is_forecast")


def _same_value(a: Any, b: Any) -> bool:
    return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9,
                                                            abs_tol=1e-9)


def _found(gold: Mapping, predicted: Mapping) -> bool:
    return (_same_value(gold["value"], predicted["value"]) and gold["unit"] == predicted["unit"]
            and gold["qualifier"] == predicted["qualifier"])


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    found: int = 0
    attribute_right: dict[str, int] = field(default_factory=lambda: {a: 0 for a in ATTRIBUTES})
    errors: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, attribute: str) -> float:
        return self.attribute_right[attribute] / self.found if self.found else 0.0

    def as_dict(self) -> dict:
        return {"gold": self.gold, "predicted": self.predicted, "found": self.found,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4),
                **{f"{a}_accuracy": round(self.accuracy(a), 4) for a in ATTRIBUTES}}


def _pairs(gold: list[Mapping], predicted: list[Mapping]):
    """Pair the figures of one sentence: on text (in order), then on value and unit."""
    free = list(range(len(predicted)))
    paired: list[tuple[Mapping, Mapping | None]] = []
    leftover = []
    for g in gold:
        k = next((k for k in free if predicted[k]["text"] == g["text"]), None)
        if k is None:
            leftover.append(g)
        else:
            free.remove(k)
            paired.append((g, predicted[k]))
    for g in leftover:
        k = next((k for k in free if _same_value(predicted[k]["value"], g["value"])
                  and predicted[k]["unit"] == g["unit"]), None)
        if k is not None:
            free.remove(k)
        paired.append((g, predicted[k] if k is not None else None))
    return paired, [predicted[k] for k in free]


def score(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> Score:
    """Both sides are mappings with at least doc, sentence, text, value, unit, qualifier
    and the ATTRIBUTES."""
    by_sentence: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for g in gold:
        by_sentence[(g["doc"], g["sentence"])][0].append(g)
    for p in predicted:
        by_sentence[(p["doc"], p["sentence"])][1].append(p)
    result = Score()
    for (doc, sentence), (gold_items, predicted_items) in sorted(by_sentence.items()):
        result.gold += len(gold_items)
        result.predicted += len(predicted_items)
        paired, spurious = _pairs(gold_items, predicted_items)
        for g, p in paired:
            if p is None:
                result.errors.append({"kind": "missed", "doc": doc, "sentence": sentence,
                                      "gold": g["text"]})
            elif not _found(g, p):
                result.errors.append({
                    "kind": "wrong value, unit or qualifier", "doc": doc, "sentence": sentence,
                    "gold": f"{g['text']} = {g['value']} {g['unit']} {g['qualifier']}",
                    "extracted": f"{p['text']} = {p['value']} {p['unit']} {p['qualifier']}"})
            else:
                result.found += 1
                for attribute in ATTRIBUTES:
                    if g.get(attribute) == p.get(attribute):
                        result.attribute_right[attribute] += 1
                    else:
                        result.errors.append({
                            "kind": f"wrong {attribute}", "doc": doc, "sentence": sentence,
                            "gold": f"{g['text']}: {g.get(attribute)}",
                            "extracted": f"{p['text']}: {p.get(attribute)}"})
        for p in spurious:
            result.errors.append({"kind": "spurious", "doc": doc, "sentence": sentence,
                                  "extracted": p["text"]})
    return result
