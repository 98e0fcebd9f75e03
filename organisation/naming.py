"""Short names of places, as a text message names a center: "بمركز بنها", not the official
"بمركز المركز التكنولوجي لخدمة المواطنين — مركز ومدينة بنها"."""

# Official Arabic names open with the kind of council or center; the place is what follows. Longer
# openings first, so "مركز ومدينة " is taken whole rather than as "مركز ".
OFFICIAL_OPENINGS = (
    "المركز التكنولوجي لخدمة المواطنين — ",
    "المركز التكنولوجي ",
    "الوحدة المحلية لقرية ",
    "مركز ومدينة ",
    "مدينة ",
    "قرية ",
    "مركز ",
    "حي ",
)


def place_name(official_name: str) -> str:
    """The place an official Arabic name refers to: "مركز ومدينة بنها" → "بنها"."""
    name = official_name.strip()
    while opening := next(
        (o for o in OFFICIAL_OPENINGS if name.startswith(o) and name[len(o) :].strip()), None
    ):
        name = name[len(opening) :].strip()
    return name
