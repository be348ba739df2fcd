"""Company, people and place names, with disjoint train and held-out pools where a model could memorise."""

from __future__ import annotations

import random

_COMPANY_STEMS = {
    "train": (
        "Acorn", "Bluefin", "Cobalt", "Driftwood", "Ember", "Foxglove", "Granite", "Harbor", "Indigo",
        "Juniper",
        "Kestrel", "Lumen", "Maple", "Northwind", "Onyx", "Pinecrest", "Quartzline", "Redwood", "Saffron",
        "Tidewater", "Umber", "Vantage", "Willow", "Xenon", "Yarrow", "Zephyr", "Alder", "Basalt", "Cedar",
        "Delta Ridge", "Evergreen", "Fjord", "Glacier", "Halcyon", "Ironwood", "Jasper", "Keystone",
        "Larkspur",
        "Meridian", "Nimbus", "Oakmont", "Prairie", "Quill Point", "Riverbend", "Summit", "Thistle", "Upland",
        "Verdant", "Westfield", "Aspen", "Bramble", "Canyon", "Dune", "Elmstead", "Falcon", "Goldleaf",
        "Heron",
        "Iris", "Jetstream", "Kinetic", "Lodestar", "Monarch", "Nightjar", "Orchard", "Pelican", "Ravenna",
        "Sierra", "Tamarack", "Unity Peak", "Vireo", "Wren", "Axiom", "Beacon", "Catalyst", "Dynamo",
        "Equinox",
    ),
    "heldout": (
        "Sable", "Tern", "Cormorant", "Obsidian", "Birchwood", "Solstice", "Marlin", "Petrel", "Quasar",
        "Lantern", "Mistral Bay", "Bellwether", "Cinder", "Halyard", "Osprey", "Larch", "Verity", "Caldera",
        "Sorrel", "Trillium", "Anvil", "Brightwater", "Copperline", "Dovetail", "Eastwick", "Fennel",
        "Gannet",
        "Hawthorn", "Ibis", "Jadeite", "Kittiwake", "Lattice", "Moraine", "Nautilus", "Opaline", "Plover",
        "Quarry Hill", "Rookery", "Sundew", "Tansy",
    ),
}

_INDUSTRY_SUFFIXES = {
    "ai": ("AI", "Labs", "Intelligence", "Machines", "Learning", "Neural", "Cognition"),
    "saas": ("Software", "Cloud", "Systems", "HQ", "Apps", "Data"),
    "biotech": ("Bio", "Therapeutics", "Biosciences", "Genomics", "Pharma"),
    "meddev": ("Medical", "Surgical", "Health Devices", "Diagnostics", "Orthopedics"),
    "manufacturing": ("Manufacturing", "Industries", "Fabrication", "Components", "Materials"),
    "hardware": ("Devices", "Electronics", "Hardware", "Instruments", "Sensors"),
    "robotics": ("Robotics", "Autonomy", "Motion", "Drones"),
    "fintech": ("Pay", "Capital", "Finance", "Ledger", "Money"),
    "games": ("Games", "Studios", "Interactive", "Entertainment"),
    "agency": ("Creative", "Media", "Digital", "Agency", "Collective"),
    "retail": ("Goods", "Supply Co.", "Outfitters", "Home", "Market"),
    "services": ("Partners", "Advisors", "Consulting", "Group"),
}

_LEGAL = ("Inc.", "Inc.", "LLC", "Corp.", "Co.", "PBC", "Inc")

_FIRST = {
    "train": ("James", "Maria", "Wei", "Priya", "Daniel", "Sofia", "Kevin", "Aisha", "Lucas", "Emily", "Omar",
              "Hannah", "Diego", "Mei", "Ryan", "Fatima", "Ethan", "Grace", "Noah", "Chloe", "Arjun",
              "Olivia"),
    "heldout": ("Tobias", "Ingrid", "Kenji", "Leila", "Mateus", "Sinead", "Dmitri", "Amara", "Rafael",
                "Yuki", "Farid", "Astrid", "Nadia", "Caleb"),
}
_LAST = {
    "train": ("Smith", "Garcia", "Chen", "Patel", "Johnson", "Kim", "Nguyen", "Brown", "Lopez", "Williams",
              "Okafor", "Miller", "Shah", "Davis", "Rossi", "Kowalski", "Anderson", "Singh", "Martin", "Ito"),
    "heldout": ("Lindqvist", "Haddad", "Oyelaran", "Brennan", "Takahashi", "Moreau", "Castellano",
                "Novak", "Abernathy", "Varga", "Delacroix", "Petrov"),
}

US_PLACES = (
    ("San Francisco", "CA"), ("Austin", "TX"), ("Seattle", "WA"), ("Boston", "MA"), ("New York", "NY"),
    ("Denver", "CO"), ("Chicago", "IL"), ("Atlanta", "GA"), ("Raleigh", "NC"), ("San Diego", "CA"),
    ("Pittsburgh", "PA"), ("Portland", "OR"), ("Salt Lake City", "UT"), ("Ann Arbor", "MI"), ("Miami", "FL"),
    ("Minneapolis", "MN"), ("Phoenix", "AZ"), ("Columbus", "OH"), ("Madison", "WI"), ("Nashville", "TN"),
)

FOREIGN_PLACES = (
    ("Bangalore", "India"), ("Pune", "India"), ("Kyiv", "Ukraine"), ("Lviv", "Ukraine"), ("Krakow", "Poland"),
    ("Warsaw", "Poland"), ("Manila", "Philippines"), ("Sao Paulo", "Brazil"), ("Buenos Aires", "Argentina"),
    ("Lahore", "Pakistan"), ("Ho Chi Minh City", "Vietnam"), ("Lagos", "Nigeria"), ("Bucharest", "Romania"),
    ("Guadalajara", "Mexico"), ("Medellin", "Colombia"), ("Belgrade", "Serbia"), ("Toronto", "Canada"),
    ("Cairo", "Egypt"), ("Nairobi", "Kenya"), ("Tallinn", "Estonia"),
)


def company_name(rng: random.Random, split: str, industry: str, taken: set[str]) -> str:
    """A company name from the split's own stems, unique within ``taken``."""
    stems = _COMPANY_STEMS[split]
    suffixes = _INDUSTRY_SUFFIXES[industry]
    for attempt in range(10_000):
        stem = rng.choice(stems)
        name = f"{stem} {rng.choice(suffixes)} {rng.choice(_LEGAL)}"
        if attempt > 200:
            name = f"{stem} {rng.choice(suffixes)} {attempt} {rng.choice(_LEGAL)}"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("company name pool exhausted")


def person_name(rng: random.Random, split: str) -> str:
    return f"{rng.choice(_FIRST[split])} {rng.choice(_LAST[split])}"


def contractor_vendor_name(rng: random.Random, split: str) -> str:
    """A sole proprietor as it appears in a GL vendor column."""
    first, last = rng.choice(_FIRST[split]), rng.choice(_LAST[split])
    form = rng.randrange(5)
    if form == 0:
        return f"{last} Consulting LLC"
    if form == 1:
        return f"{first} {last} Engineering"
    if form == 2:
        return f"{last} Technical Services"
    return f"{first} {last}"


def all_person_surnames(split: str) -> set[str]:
    return set(_LAST[split])
