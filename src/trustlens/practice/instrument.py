"""The practice survey, held as data: versioned, ten areas, items on a 1-5 scale plus free text.

The areas are the seeds' ten "known unknowns" of trust practice
(:data:`trustlens.analytics.practice.AREAS`). Each item says who answers it (``all`` staff or
``leader`` only). A new version is a new entry in :data:`INSTRUMENTS`; responses keep the
version they answered, and profiles are built per version's areas (the area codes never change).
The scale: 1 strongly disagree, 2 disagree, 3 neither, 4 agree, 5 strongly agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from trustlens.analytics.practice import AREA_CODES, AREA_TITLES

SCALE = (
    (1, "1 Strongly disagree"),
    (2, "2 Disagree"),
    (3, "3 Neither"),
    (4, "4 Agree"),
    (5, "5 Strongly agree"),
)


@dataclass(frozen=True)
class Item:
    code: str
    area: str
    text: str
    audience: str = "all"  #: "all" or "leader"


@dataclass(frozen=True)
class Instrument:
    version: str
    title: str
    items: tuple[Item, ...]

    def items_for(self, role: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.audience == "all" or i.audience == role)

    def area_title(self, code: str) -> str:
        return AREA_TITLES[code]


_ITEMS_2025 = (
    ("tl_vision", "Staff here can say what great teaching and learning looks like in our trust."),
    ("tl_vision", "Our teaching and learning vision shapes day-to-day decisions.", "leader"),
    ("learning_needs", "We meet the full range of pupils' learning needs in lessons."),
    ("learning_needs", "Pupils with SEND get the adaptations they need without delay."),
    ("behaviour", "Behaviour routines are clear and applied consistently."),
    ("behaviour", "Staff are supported when they follow the behaviour system."),
    ("improvement_support", "The trust's support helps this academy improve."),
    ("improvement_support", "Support is matched to what this academy needs.", "leader"),
    ("consistency", "Trust-wide approaches leave room for this academy's local identity."),
    ("consistency", "Common approaches across the trust make my work easier."),
    ("quality_assurance", "Quality assurance here tells us something useful."),
    ("quality_assurance", "QA findings lead to changes we can see.", "leader"),
    ("leadership", "Leaders are deployed where they make most difference."),
    ("leadership", "There is a clear route to develop as a leader in this trust."),
    ("staff_development", "My professional development improves my practice."),
    ("staff_development", "Performance management is fair and developmental."),
    ("pedagogy", "We use specific teaching approaches that we know work."),
    ("pedagogy", "Time is given to practise and refine those approaches."),
    ("variation", "We know which classes and groups are doing better or worse, and why."),
    ("variation", "Variation between academies is tackled, not just reported.", "leader"),
)
V2025 = Instrument(
    version="2025.1",
    title="How we work: practice survey 2025",
    items=tuple(
        Item(f"{entry[0]}_{n}", entry[0], entry[1], entry[2] if len(entry) > 2 else "all")
        for n, entry in enumerate(_ITEMS_2025, start=1)
    ),
)
INSTRUMENTS: dict[str, Instrument] = {V2025.version: V2025}
CURRENT = V2025.version
assert {i.area for i in V2025.items} == set(AREA_CODES)


def instrument(version: str = CURRENT) -> Instrument:
    return INSTRUMENTS[version]
