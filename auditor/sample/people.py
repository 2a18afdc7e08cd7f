"""Who is in the sample: Acme's accounts, the story's customers and the generated customers.

* ``ROSTER``: Acme's two brand accounts and six employees, the same as
  ``policies/roster.yaml`` (the example policy audits the demo with it);
* ``STORY_CUSTOMERS``: the customers with a part in the scripted story;
* ``customer_pool``: the filler's customers, plausible made-up X handles;
* ``extra_accounts``: generated employees for big benchmark files
  (``--accounts``), and ``roster`` / ``roster_yaml`` to write the matching
  roster, since a policy has to know them to audit them.

Each list draws from a random stream of its own ("<seed>:customers", and
"accounts" whatever the seed), so making them takes no draws from the story's
or the days' streams.
"""

from __future__ import annotations

from auditor.sample.events import Rng

# handle, name, kind, team, manager. policies/roster.yaml must say the same
# (tests/test_sample.py compares them): the example policy audits the demo with it.
ROSTER: tuple[tuple[str, str, str, str, str], ...] = (
    ("acme_support", "Acme Support", "brand", "support", "Dana Reyes"),
    ("acme", "Acme", "brand", "marketing", "Olivia Grünwald"),
    ("jdoe", "Jane Doe", "employee", "sales", "Marcus Bell"),
    ("mkhan", "Mo Khan", "employee", "sales", "Marcus Bell"),
    ("lchen", "Lily Chen", "employee", "support", "Dana Reyes"),
    ("rpatel", "Raj Patel", "employee", "support", "Dana Reyes"),
    ("tnguyen", "Tam Nguyen", "employee", "support", "Dana Reyes"),
    ("bsmith", "Ben Smith", "employee", "marketing", "Olivia Grünwald"),
)
_MANAGERS = {"support": "Dana Reyes", "sales": "Marcus Bell", "marketing": "Olivia Grünwald"}  # of extra accounts

# Customers with a part in the story; filler never uses them, so their
# findings are the same at every size.
STORY_CUSTOMERS: dict[str, str] = {
    "northwind_cto": "Alex", "dev_owen42": "Owen", "maria_g": "Maria", "kate_builds": "Kate",
    "carlos_dev": "Carlos", "priya_s": "Priya", "tom_h": "Tom", "ana_paula": "Ana",
    "wei_zhang88": "Wei", "omar_k": "Omar", "liam_ot": "Liam", "sam_rivera_": "Sam",
    "lucy_m": "Lucy", "kofi_a": "Kofi", "jen_w": "Jen", "emma_l": "Emma", "sofia_mtl": "Sofia",
    "hiro_t": "Hiro", "ines_r": "Ines", "nora_b": "Nora", "gus_w": "Gus",
}

# Parts of the generated handles and names.
_FIRST = (
    "maria", "owen", "sam", "lucy", "kofi", "ana", "wei", "omar", "priya", "carlos", "kate", "tom",
    "liam", "emma", "noah", "olivia", "ava", "mia", "leo", "zoe", "ethan", "isla", "amir", "fatima",
    "diego", "sofia", "hiro", "yuki", "ines", "jonas", "lena", "max", "nina", "arjun", "chloe",
    "mateo", "grace", "felix", "hannah", "ivan", "julia", "kenji", "laura", "marco", "nadia", "oscar",
    "paula", "quinn", "rosa", "sean", "tara", "umar", "vera", "will", "ximena", "yara", "zack",
    "aisha", "ben", "clara", "dev", "elena", "frank", "gabe", "helen", "ike", "jamal", "kim", "luca",
    "maya", "nico", "olga", "pete", "rania", "sara", "theo", "ugo", "val", "wes",
)
_LAST = (
    "garcia", "owens", "kim", "martin", "nguyen", "lopez", "smith", "brown", "wilson", "tremblay",
    "roy", "gagnon", "cote", "bouchard", "singh", "ali", "wong", "chen", "patel", "khan", "silva",
    "rossi", "muller", "novak", "ivanova", "sato", "tanaka", "park", "lee", "cohen", "haddad",
    "mensah", "okafor", "diaz", "reyes", "santos", "moreau", "dubois", "larsen", "berg", "kowalski",
    "murphy", "kelly", "walsh", "fraser", "hughes", "price", "ortiz", "castro", "ramos",
)
_HANDLE_WORDS = ("builds", "codes", "ops", "designs", "writes", "dev", "data", "pm", "studio", "makes")
_CITIES = ("to", "mtl", "yyc", "van", "ott", "nyc", "ldn", "yeg")


def customer_pool(seed: int, n: int, taken: set[str]) -> list[tuple[str, str]]:
    """``n`` plausible, unique X handles with a first name each, none of them in ``taken``.

    ``taken`` holds the roster's and the story's handles: a filler customer
    who shared a name with a story customer would change the story's findings.
    """
    rng = Rng(f"{seed}:customers")
    out: list[tuple[str, str]] = []
    seen = set(taken)
    attempts = 0
    while len(out) < n:
        attempts += 1
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        form = rng.randrange(10)
        if form == 0:
            handle = f"{first}_{last[0]}"
        elif form == 1:
            handle = f"dev_{first}{rng.randrange(10, 100)}"
        elif form == 2:
            handle = f"{first}{last}"
        elif form == 3:
            handle = f"{first}_{last}"
        elif form == 4:
            handle = f"the{first}{last[0]}"
        elif form == 5:
            handle = f"{first}_{rng.choice(_HANDLE_WORDS)}"
        elif form == 6:
            handle = f"{first}_in_{rng.choice(_CITIES)}"
        elif form == 7:
            handle = f"{last}{first[0]}{rng.randrange(1, 1000)}"
        elif form == 8:
            handle = f"{first}{rng.randrange(1980, 2006)}"
        else:
            handle = f"{first[0]}{last}_{rng.randrange(1, 100)}"
        handle = handle[:15]  # X's limit
        if handle in seen:  # the short forms run out in big pools: fall back to a numbered one
            handle = f"{last[:8]}{first[0]}{rng.randrange(1, 100_000)}"
            if attempts > 50 * n + 1000:
                handle = f"{first[:5]}{len(out)}"  # unique by construction
            if handle in seen:
                continue
        seen.add(handle)
        out.append((handle, first.capitalize()))
    return out


def extra_accounts(n: int) -> list[tuple[str, str, str, str, str]]:
    """``n`` generated employees beyond the named ones, alternating support and sales."""
    rng = Rng("accounts")
    taken = {r[0] for r in ROSTER} | set(STORY_CUSTOMERS)
    out: list[tuple[str, str, str, str, str]] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        handle = f"{first[0]}{last}"
        if attempts > 20 * n + 100:  # many accounts: number them
            handle = f"{first[0]}{last}{len(out)}"
        if handle in taken:
            continue
        taken.add(handle)
        team = "support" if len(out) % 2 == 0 else "sales"
        out.append((handle, f"{first.capitalize()} {last.capitalize()}", "employee", team, _MANAGERS[team]))
    return out


def roster(accounts: int = 0) -> list[dict[str, str]]:
    """The roster of the sample company (as in ``policies/roster.yaml``), plus ``accounts`` generated employees."""
    rows = list(ROSTER) + extra_accounts(accounts)
    return [dict(zip(("handle", "name", "kind", "team", "manager"), row, strict=True)) for row in rows]


def roster_yaml(accounts: int = 0) -> str:
    """The roster as YAML, in the form of ``policies/roster.yaml``."""
    lines = ["# Roster of the sample company Acme (written by auditor.sample.generate).", "accounts:"]
    for row in roster(accounts):
        lines.append(f"  - handle: {row['handle']}")
        for key in ("name", "kind", "team", "manager"):
            lines.append(f"    {key}: {row[key]}")
    return "\n".join(lines) + "\n"
